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

// Mermaid hides entity codes (#44;) from its grammar as placeholders and puts them back as
// entities into the SVG, where the browser shows their character; do the same here.
const named = { quot: '"', amp: "&", lt: "<", gt: ">", nbsp: "\u00a0", apos: "'" };
const shown = (text) =>
  text
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (_, name) => named[name] ?? `&${name};`);

const results = [];
for (const text of JSON.parse(readFileSync(0, "utf8"))) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    results.push({
      title: shown(db.getDiagramTitle()),
      sections: [...db.getSections()].map(shown),
      tasks: db.getTasks().map((t) => ({
        section: shown(t.section),
        task: shown(t.task),
        score: t.score,
        people: t.people.map(shown),
      })),
    });
  } catch (error) {
    results.push({ error: String(error.message).split("\n")[0] });
  }
}
process.stdout.write(JSON.stringify(results));
