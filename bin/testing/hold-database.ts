import { parseEnv } from "@/lib/config/env";
import { openDatabase } from "../launcher/open-database";

// Test fixture: opens the database exactly as the launcher of a running dashboard does, prints one JSON
// line with its URL, then holds it until killed (SIGTERM stops it in order; SIGKILL orphans it).
const db = await openDatabase(parseEnv(), () => undefined, { ifInUse: "refuse" });
console.log(JSON.stringify({ url: db.url, pid: process.pid }));
const stop = () => void db.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
setInterval(() => undefined, 60_000);
