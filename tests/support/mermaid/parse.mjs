// Reads mermaid text on stdin and parses it with mermaid's own parser: prints "ok" and exits 0, or prints the
// parser's message and exits 1. mermaid 10 wants a DOM (DOMPurify) even to parse; jsdom gives it one in Node 20.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

try {
  await mermaid.parse(readFileSync(0, 'utf8'));
  console.log('ok');
} catch (e) {
  console.log(String(e.message || e));
  process.exit(1);
}
