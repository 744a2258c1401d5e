/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): one
 * sampled profile whose samples are the distinct stacks (frame indices, root first) and
 * whose weights are access counts. Frames carry file and line, so speedscope links them.
 */
import type { FlamePath } from './flame';

/** The subset of speedscope's FileFormat.File that envtrace writes. */
export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  exporter: string;
  name: string;
  activeProfileIndex: number;
  shared: { frames: { name: string; file?: string; line?: number }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: 'none';
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
}

/** A speedscope file of `paths`, named `name`. */
export function speedscopeFile(paths: readonly FlamePath[], name: string, exporter: string): SpeedscopeFile {
  const frames: SpeedscopeFile['shared']['frames'] = [];
  const index = new Map<string, number>();
  const samples: number[][] = [];
  const weights: number[] = [];
  for (const p of paths) {
    samples.push(
      p.frames.map((f) => {
        const id = `${f.function}\0${f.file}\0${f.line}`;
        let i = index.get(id);
        if (i === undefined) {
          index.set(id, (i = frames.length));
          frames.push(f.file ? { name: f.function, file: f.file, line: f.line } : { name: f.function });
        }
        return i;
      }),
    );
    weights.push(p.count);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    exporter,
    name,
    activeProfileIndex: 0,
    shared: { frames },
    profiles: [{ type: 'sampled', name, unit: 'none', startValue: 0, endValue: total, samples, weights }],
  };
}
