import type { Command } from "../command";
import { runApp } from "../launcher/run-app";

const command: Command = {
  summary: "run the dashboard in development mode with its embedded services",
  usage: `
Usage: sealdeck dev [--port P]

Starts the embedded Postgres (unless DATABASE_URL is set), applies migrations, then runs
\`next dev\`. Ctrl-C stops Next.js and then every embedded service. PORT (default 3000) or --port
chooses the port. This is what \`npm run dev\` runs.
`,
  run: (args) => runApp("dev", args),
};

export default command;
