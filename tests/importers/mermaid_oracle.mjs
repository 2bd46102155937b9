// Parse Mermaid journey diagrams with Mermaid's own code (no browser): a JSON list of
// diagram texts on stdin, a JSON list of {title, sections, tasks} (or {error}) on stdout.
// Usage: node mermaid_oracle.mjs TOOLS_DIR   (TOOLS_DIR holds node_modules/mermaid)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = join(process.argv[2], "node_modules");
// Mermaid sanitises titles with DOMPurify, which needs a DOM; the texts compared here need none.
const purify = (await import(pathToFileURL(join(modules, "dompurify/dist/purify.es.mjs")))).default;
purify.addHook = () => {};
purify.sanitize = (text) => text;
const { default: mermaid } = await import(pathToFileURL(join(modules, "mermaid/dist/mermaid.core.mjs")));
mermaid.initialize({ startOnLoad: false });

const results = [];
for (const text of JSON.parse(readFileSync(0, "utf8"))) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    results.push({
      title: db.getDiagramTitle(),
      sections: [...db.getSections()],
      tasks: db.getTasks().map((t) => ({ section: t.section, task: t.task, score: t.score, people: [...t.people] })),
    });
  } catch (error) {
    results.push({ error: String(error.message).split("\n")[0] });
  }
}
process.stdout.write(JSON.stringify(results));
