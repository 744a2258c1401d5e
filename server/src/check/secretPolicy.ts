/**
 * `secret-hygiene`, the run half: a secret key's value that a run read fails the project's
 * policy (`secretPolicy` in envtrace.json: minimum length, minimum entropy in bits). The
 * recorder never writes such a value: it writes the length (`n`) and an entropy estimate
 * (`bits`, recorder file e_strength.go) of secret keys' values, and this compares those.
 */
import type { ProcessInfo, RunEvent } from '../runs/reader';
import type { Declaration } from './declared';
import type { RawFinding } from './finding';
import { type RunObserver, under } from './runRules';
import { secretKey } from './secretHygiene';

/** The policy a secret's value must meet. */
export interface SecretPolicy {
  minLength: number;
  minEntropyBits: number;
}

/** Collects, per key, the first read in a run whose secret value fails the policy. */
export class SecretPolicyObserver implements RunObserver {
  private readonly weak = new Map<string, { e: RunEvent; p: ProcessInfo; why: string }>();
  constructor(
    private readonly runId: string,
    private readonly root: string,
    private readonly declared: Map<string, Declaration>,
    private readonly policy: SecretPolicy,
  ) {}

  event(e: RunEvent, p: ProcessInfo): void {
    if (e.op !== 'getenv' || !e.found || !e.redacted || e.key === undefined || e.length === undefined || this.weak.has(e.key)) return;
    if (!secretKey(e.key, this.declared)) return;
    const why: string[] = [];
    if (e.length < this.policy.minLength) why.push(`${e.length} bytes long, under the policy's ${this.policy.minLength}`);
    if (e.entropyBits !== undefined && e.entropyBits < this.policy.minEntropyBits) why.push(`about ${e.entropyBits} bits of entropy, under the policy's ${this.policy.minEntropyBits}`);
    if (why.length) this.weak.set(e.key, { e, p, why: why.join(', ') });
  }

  findings(): RawFinding[] {
    return [...this.weak.values()].map(({ e, p, why }) => {
      const file = under(this.root, e.user?.file);
      return {
        rule: 'secret-hygiene',
        message: `secret ${e.key}'s value in run ${this.runId} (process ${p.pid}, ${p.argv[0] ?? 'pid ' + p.pid}) is ${why}`,
        file,
        line: file ? (e.user?.line ?? null) : null,
        column: null,
        key: e.key ?? null,
      };
    });
  }
}
