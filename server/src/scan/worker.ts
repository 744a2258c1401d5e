/** Entry point of a scanner worker thread (see loadPool.ts): takes files, sends back bytes and facts. */
import { isMainThread, parentPort } from 'node:worker_threads';
import { extractFacts } from './extract';
import { serveLoad, type LoadRequest } from './loadPool';
import { loadGoLanguage, newGoParser } from './parser';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const parser = loadGoLanguage().then(newGoParser);
  port.on('message', (req: LoadRequest) => {
    // Without a grammar the worker still reads and filters; the index parses those files.
    parser.then(
      (p) => serveLoad(req.load, (text) => extractFacts(p, text, [], false), (m, t) => port.postMessage(m, t)),
      () => serveLoad(req.load, null, (m, t) => port.postMessage(m, t)),
    );
  });
}
