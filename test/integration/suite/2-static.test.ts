/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { activate, hoverText, lensTitles, open, waitFor } from '../helpers';

describe('before any run (static scan through the language server)', () => {
  before(async () => {
    await activate();
    await open('main.go');
  });

  it('starts the language server', async () => {
    const api = await activate();
    await waitFor('the language server to run', () => api.serverRunning(), 60_000);
  });

  it('shows a lens naming the key on a Getenv line', async () => {
    const titles = await waitFor('a lens on the DATABASE_URL line', async () => {
      const t = await lensTitles('main.go', 'os.Getenv("DATABASE_URL")');
      return t.some((x) => x.includes('DATABASE_URL')) ? t : undefined;
    });
    assert.ok(titles.some((t) => t.includes('DATABASE_URL')), titles.join(' | '));
  });

  it('shows a lens for the helper call with its key', async () => {
    const titles = await waitFor('a lens on the getenv("PORT") line', async () => {
      const t = await lensTitles('main.go', 'getenv("PORT", "8080")');
      return t.some((x) => x.includes('PORT')) ? t : undefined;
    });
    assert.ok(titles.length > 0);
  });

  it('hovers os.Getenv with the key and the api', async () => {
    const text = await waitFor('a hover on os.Getenv', async () => {
      const h = await hoverText('main.go', 'os.Getenv("DATABASE_URL")', 4);
      return h.includes('DATABASE_URL') ? h : undefined;
    });
    assert.match(text, /os\.Getenv/);
  });
});
