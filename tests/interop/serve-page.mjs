// Serves browser/ on a loopback port of its own, so the page's origin differs from the gateway's.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const root = join(import.meta.dirname, "browser");
const types = { ".html": "text/html", ".js": "text/javascript" };
const server = createServer(async (request, response) => {
  const name = request.url === "/" ? "index.html" : request.url.slice(1).split("?")[0];
  try {
    const body = await readFile(join(root, name));
    response.writeHead(200, { "Content-Type": types[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(`page http://127.0.0.1:${server.address().port}/`));
