// One table of key names and values for the secret rules, run against the TypeScript rules
// (secretRules.test.ts) and against the recorder inside a traced program (test/go).

/** Key names whose values are redacted, and names that stay in clear. */
export const KEY_CASES = {
  secret: [
    'DB_PASSWORD', 'github_token', 'X_AUTH_HEADER', 'PGPASS', 'MYSQL_PWD', 'DB_PASS', 'ENCRYPTION_KEY', 'PRIVATEKEY',
    'SLACK_WEBHOOK_URL', 'SENTRY_DSN', 'GPG_PASSPHRASE', 'STRIPE_API-KEY', 'SIGNING_KEY', 'DB_PW', 'SESSION_ID', 'app-secret',
  ],
  clear: ['PORT', 'PWD', 'OLDPWD', 'HOME', 'PATH', 'LANG', 'PASSPORT_ID', 'KEYBOARD', 'DEBUG', 'REGION', 'GOFLAGS'],
};

/** Values that are redacted under any key, and values that stay in clear under a neutral key. */
export const VALUE_CASES = {
  secret: [
    'postgres://app:pgpw-XYZ123@db:5432/shop',
    'u:pw-mysql@tcp(db:3306)/app',
    'app:secret-pw@db.internal:5432/shop',
    'https://key@o1.ingest.sentry.io/1',
    'https://0123456789abcdef0123456789abcdef@sentry.example.com/42',
    'https://ghp_0123456789abcdefABCDEF0123456789abcd@github.com/org/repo.git',
    'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    'host=db user=app password=pw-kv sslmode=disable',
    'https://api.example.com/v1?token=abcdef123456',
    'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
    'ghp_0123456789abcdefABCDEF0123456789abcd',
    'glpat-0123456789abcdefABCD',
    'xoxb-123456789012-123456789012-abcdefABCDEF',
    'AKIAIOSFODNN7EXAMPLE',
    'sk_live_0123456789abcdefABCDEF',
  ],
  clear: [
    '8080', 'true', 'production', 'https://example.com/path', 'postgres://u@db/app', 'http://x/a:b@c',
    'ssh://git@github.com/org/repo.git', 'user@example.com', 'Bearer', 'eyJ', 'task-ghp_x', 'AKIA-short',
    'a:b', 'see https://api.example.com/docs', 'xghp_0123456789abcdefABCDEF0123456789abcd',
  ],
};
