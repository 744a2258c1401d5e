/**
 * The rules `envtrace check` knows (issue 14): id, default level, a one-line rationale and
 * help text. The registry is data so the CLI, SARIF's `tool.driver.rules` and the docs read
 * one list; a rule's logic lives in its own file.
 */

/** How loud a rule is; `off` disables it. The names are SARIF's result levels. */
export type Level = 'error' | 'warning' | 'note' | 'off';

/** The levels a config may give a rule. */
export const LEVELS: readonly Level[] = ['error', 'warning', 'note', 'off'];

/** One rule's description. */
export interface RuleInfo {
  id: string;
  level: Level;
  /** One line: why the rule exists. */
  rationale: string;
  /** What to do about a finding. */
  help: string;
}

/** Every rule of this slice, in the order reports list them. */
export const RULES: readonly RuleInfo[] = [
  {
    id: 'undeclared-key',
    level: 'error',
    rationale: 'Non-test code reads a variable that no .env.example/.env.sample/.env.dist or envtrace.json declares.',
    help: 'Add the key to .env.example (with its default and a comment) or to "declared" in envtrace.json. Only checked when one of those declares something.',
  },
  {
    id: 'declared-unused',
    level: 'warning',
    rationale: 'A declared variable is read nowhere in the code (nor in the given runs): the declaration is stale.',
    help: 'Remove the key from the file that declares it, or read it where it is meant to be used.',
  },
  {
    id: 'env-write-outside-tests',
    level: 'warning',
    rationale: 'os.Setenv/Unsetenv/Clearenv in non-test code changes process-wide state that other goroutines read unsynchronised.',
    help: 'Pass configuration explicitly, or list the package directory in "allow.envWrites" of envtrace.json.',
  },
  {
    id: 'parallel-setenv',
    level: 'error',
    rationale: 't.Setenv in a test that calls t.Parallel (or whose parent did before t.Run) panics when the test runs.',
    help: 'Drop t.Parallel from that test, or pass the value to the code under test instead of through the environment.',
  },
  {
    id: 'race',
    level: 'error',
    rationale: 'A run saw a read and a write of the same key race (at or above "raceLevel", default likely).',
    help: 'Set variables before starting goroutines, or stop writing the environment while the program runs. `envtrace report RUN` shows both sides.',
  },
  {
    id: 'required-unset',
    level: 'error',
    rationale: 'A run read a key declared "required": true, or read a key where the code has no default, and found it unset.',
    help: 'Set the key in the environment that ran the program, or give it a default in code (and mark it not required).',
  },
  {
    id: 'getenv-outside-config',
    level: 'off',
    rationale: 'Non-test code reads the environment outside the packages "allow.envReads" names, so configuration is scattered instead of loaded in one place.',
    help: 'Read the key in the configuration package and pass the value on, or add the package directory to "allow.envReads" in envtrace.json. Off by default: set its level in "rules" to use it.',
  },
  {
    id: 'secret-hygiene',
    level: 'error',
    rationale: 'A secret (declared "secret": true, or secret-looking by name) has a default in code or is set from a literal; a committed .env file points *_ENV/*_STAGE at prod; or a run read a secret value weaker than "secretPolicy".',
    help: 'Keep secrets out of the code and committed files: read them without a default and fail when unset, set them from the environment or a secret store, and rotate a value that fails the policy (minLength, minEntropyBits in envtrace.json).',
  },
  {
    id: 'new-key',
    level: 'warning',
    rationale: 'Since the --baseline inventory, non-test code reads a new key, writes the environment anew, or reads a secret in a new function: review should see it.',
    help: 'Declare the new key (.env.example or envtrace.json) and check the change is meant; only checked with --baseline FILE (an `envtrace scan --json` output) or --baseline GIT-REF.',
  },
  {
    id: 'value-drift',
    level: 'warning',
    rationale: 'Two or more runs read a key listed in "agree" with different values (compared by value or keyed hash, never shown): environments that should match do not.',
    help: 'Align the environments (CI, staging, fleet hosts) or drop the key from "agree" in envtrace.json. Secret values compare only between runs recorded under the same workspace key.',
  },
  // Issue 15 (server/src/check/usesRules.ts): where values go.
  {
    id: 'secret-to-output',
    level: 'error',
    rationale: 'The value of a secret-looking key or a credential reaches a log, a print or an HTTP response, where anyone who reads the output sees it.',
    help: 'Log that the value is set (or its length), never the value; envtrace scan --json shows every use of the key.',
  },
  {
    id: 'unchecked-parse',
    level: 'warning',
    rationale: 'strconv/time parsing of a variable drops its error: a typo in the environment silently becomes 0, false or no duration.',
    help: 'Check the error and fail (or fall back to a stated default) with a message naming the variable.',
  },
];

/** The rule with `id`, or undefined. */
export function ruleById(id: string): RuleInfo | undefined {
  return RULES.find((r) => r.id === id);
}
