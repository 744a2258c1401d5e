// The commit of a traced run read from the repository's files (no git process), checked against
// git itself: a branch's loose ref, packed refs, a detached HEAD, a worktree; a symlinked HEAD
// (a hostile clone) answers undefined (git is asked), a directory outside any repository null.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readGitHead } from '../../server/src/cli/gitHead';

const work = mkdtempSync(join(tmpdir(), 'envtrace-githead-'));
after(() => rmSync(work, { recursive: true, force: true }));
const repo = join(work, 'repo');
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work } }).trim();

test('readGitHead answers what git rev-parse HEAD answers, without starting git', () => {
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  git('config', 'user.email', 'a@example.com');
  git('config', 'user.name', 'a');
  writeFileSync(join(repo, 'f'), '1');
  git('add', 'f');
  git('commit', '-qm', 'one');
  const sub = join(repo, 'sub');
  mkdirSync(sub);
  assert.equal(readGitHead(sub), git('rev-parse', 'HEAD'), 'a loose ref, from a subdirectory');
  git('pack-refs', '--all');
  assert.equal(readGitHead(repo), git('rev-parse', 'HEAD'), 'packed refs');
  const first = git('rev-parse', 'HEAD');
  writeFileSync(join(repo, 'f'), '2');
  git('commit', '-qam', 'two');
  git('checkout', '-q', first);
  assert.equal(readGitHead(repo), first, 'detached');
  git('checkout', '-q', 'main');
  const wt = join(work, 'wt');
  git('worktree', 'add', '-q', '-b', 'side', wt, first);
  assert.equal(readGitHead(wt), first, 'a worktree: HEAD in its own git directory, refs in the main one');
  assert.equal(readGitHead(work), null, 'not in a repository');
});

test('readGitHead reads no symlinked HEAD (a hostile clone) and gives up on what it does not know', () => {
  const head = join(repo, '.git', 'HEAD');
  unlinkSync(head);
  symlinkSync('/dev/zero', head);
  assert.equal(readGitHead(repo), undefined);
  unlinkSync(head);
  writeFileSync(head, 'ref: refs/heads/../../../etc/passwd\n');
  assert.equal(readGitHead(repo), undefined);
  writeFileSync(head, 'ref: refs/heads/main\n');
  assert.equal(readGitHead(repo), git('rev-parse', 'HEAD'));
});
