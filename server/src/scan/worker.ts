/** Entry point of a parse worker thread (see pool.ts): text in, facts out. */
import { isMainThread, parentPort } from 'node:worker_threads';
import { extractFacts } from './extract';
import { loadGoLanguage, newGoParser } from './parser';
import type { ParseReply, ParseRequest } from './pool';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const parser = loadGoLanguage().then(newGoParser);
  port.on('message', (req: ParseRequest) => {
    parser.then(
      (p) => port.postMessage({ id: req.id, facts: extractFacts(p, req.text, req.words, req.constOnly) } satisfies ParseReply),
      // No grammar here: say "not parsed" (undefined), so the index parses the file itself.
      () => port.postMessage({ id: req.id, facts: undefined } satisfies ParseReply),
    );
  });
}
