import type { Command } from "../command";
import { runApp } from "../launcher/run-app";

const command: Command = {
  summary: "run the production build (after `npm run build`) with its embedded services",
  usage: `
Usage: sealdeck start [--port P]

Like \`sealdeck dev\` but runs \`next start\` on the production build made by \`npm run build\`.
This is what \`npm start\` runs.
`,
  run: (args) => runApp("start", args),
};

export default command;
