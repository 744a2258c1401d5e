/** Entry point of a scanner worker thread (see loadPool.ts): takes files, sends back bytes and facts. */
import { relative, sep } from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { localFlowsHook } from '../uses/siteFlows';
import { extractFacts } from './extract';
import { serveLoad, type LoadRequest } from './loadPool';
import { loadGoLanguage, newGoParser } from './parser';

if (!isMainThread && parentPort) {
  const port = parentPort;
  const parser = loadGoLanguage().then(newGoParser);
  port.on('message', (req: LoadRequest) => {
    const { within, localFlows } = req.load;
    // The uses analysis' first step runs on this thread's trees when the caller will want it.
    const hook = (path: string) => (localFlows ? localFlowsHook(relative(within, path).split(sep).join('/')) : undefined);
    // Without a grammar the worker still reads and filters; the index parses those files.
    parser.then(
      (p) => serveLoad(req.load, (text, path) => extractFacts(p, text, [], false, undefined, false, hook(path)), (m, t) => port.postMessage(m, t)),
      () => serveLoad(req.load, null, (m, t) => port.postMessage(m, t)),
    );
  });
}
