/** Entry point of a parse worker thread (see pool.ts and loadPool.ts): text in, facts out. */
import { isMainThread, parentPort } from 'node:worker_threads';
import { extractFacts } from './extract';
import { serveLoad, type LoadRequest } from './loadPool';
import { loadGoLanguage, newGoParser } from './parser';
import type { ParseReply, ParseRequest } from './pool';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const parser = loadGoLanguage().then(newGoParser);
  port.on('message', (req: ParseRequest | LoadRequest) => {
    if ('load' in req) {
      // Without a grammar the worker still reads and filters; the index parses those files.
      parser.then(
        (p) => serveLoad(req.load, (text) => extractFacts(p, text, [], false), (m, t) => port.postMessage(m, t)),
        () => serveLoad(req.load, null, (m, t) => port.postMessage(m, t)),
      );
      return;
    }
    parser.then(
      (p) => port.postMessage({ id: req.id, facts: extractFacts(p, req.text, req.words, req.constOnly) } satisfies ParseReply),
      // No grammar here: say "not parsed" (undefined), so the index parses the file itself.
      () => port.postMessage({ id: req.id, facts: undefined } satisfies ParseReply),
    );
  });
}
