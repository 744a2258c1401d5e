// envtrace recorder, part 5b: which keys and values are secret. The lists are the same as
// server/src/tracer/secrets.ts (the one source; test/unit/secretRules.test.ts compares them
// and runs one table of cases against both); docs/FORMATS.md says where each comes from.
package syscall

//envtrace:begin

// A key is secret when it contains one of these words (case-insensitive, '-' and '_' alike)…
var etSecretKeyWords = []string{
	"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "PRIVATEKEY",
	"CREDENTIAL", "AUTH", "SESSION", "COOKIE", "BEARER", "MYSQL_PWD", "WEBHOOK", "DSN",
}

// …or ends with one of these.
var etSecretKeySuffixes = []string{"PASS", "_PWD", "_PW", "KEY"}

// Token prefixes that make a value secret at the start of a word with 16+ token bytes after.
var etSecretValuePrefixes = []string{
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-",
	"sk_live_", "rk_live_", "AKIA", "ASIA", "AIza", "sntrys_", "sntryu_", "npm_", "sk-proj-", "sk-ant-", "dop_v1_", "hf_",
}

// "<word>=" inside a value (a key/value DSN, a query string) makes it secret.
var etSecretValueAssignments = []string{"PASSWORD=", "PASSWD=", "PWD=", "SECRET=", "TOKEN=", "APIKEY=", "API_KEY="}

// etKeyFold upper-cases a byte of a key and reads '-' as '_'.
func etKeyFold(c byte) byte {
	if c == '-' {
		return '_'
	}
	return etUpper(c)
}

// etSecretKey reports whether a key's values are redacted.
func etSecretKey(key string) bool {
	if etNoRedact {
		return false
	}
	for _, w := range etSecretKeyWords {
		for i := 0; i+len(w) <= len(key); i++ {
			j := 0
			for j < len(w) && etKeyFold(key[i+j]) == w[j] {
				j++
			}
			if j == len(w) {
				return true
			}
		}
	}
	for _, s := range etSecretKeySuffixes {
		if len(key) >= len(s) {
			j := 0
			for j < len(s) && etKeyFold(key[len(key)-len(s)+j]) == s[j] {
				j++
			}
			if j == len(s) {
				return true
			}
		}
	}
	for _, alt := range etPatterns {
		if etMatch(alt, key) {
			return true
		}
	}
	return false
}

func etIndex(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func etTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

func etAlnum(c byte) bool { return etTokenByte(c) && c != '_' && c != '-' }

func etSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// etTokenRun counts the token bytes of s from i.
func etTokenRun(s string, i int) int {
	n := 0
	for i+n < len(s) && etTokenByte(s[i+n]) {
		n++
	}
	return n
}

// etSecretURL: scheme://userinfo@host with a password, a token-like user (16+) or a Sentry host.
func etSecretURL(v string) bool {
	i := etIndex(v, "://", 0)
	if i < 0 {
		return false
	}
	rest := v[i+3:]
	end := len(rest)
	for j := 0; j < len(rest); j++ {
		if c := rest[j]; c == '/' || c == '?' || c == '#' {
			end = j
			break
		}
	}
	authority := rest[:end]
	at := -1
	for j := len(authority) - 1; j >= 0; j-- {
		if authority[j] == '@' {
			at = j
			break
		}
	}
	if at < 0 {
		return false
	}
	user := authority[:at]
	if etIndex(user, ":", 0) >= 0 {
		return true
	}
	if etContainsFold(v[:i], "SSH") { // ssh://git@host: the user is no credential
		return false
	}
	return len(user) >= 16 || etContainsFold(authority[at+1:], "SENTRY")
}

// etSecretBareDSN: a DSN without a scheme whose user part has a password (u:pw@tcp(db:3306)/app).
func etSecretBareDSN(v string) bool {
	if etIndex(v, "://", 0) >= 0 {
		return false
	}
	at := etIndex(v, "@", 0)
	if at < 0 || at == len(v)-1 {
		return false
	}
	colon := etIndex(v[:at], ":", 0)
	if colon <= 0 || colon == at-1 {
		return false
	}
	for j := 0; j < at; j++ {
		if v[j] == '/' || etSpace(v[j]) {
			return false
		}
	}
	return true
}

// etSecretValue reports whether a value looks secret by itself (the rules of isSecretValue
// in server/src/tracer/secrets.ts). It runs on every recorded value: one pass notes the bytes
// the rules need, and only rules whose bytes occur run.
func etSecretValue(v string) bool {
	if len(v) < 4 {
		return false
	}
	var colon, at, eq, space, dot bool
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ':':
			colon = true
		case '@':
			at = true
		case '=':
			eq = true
		case ' ':
			space = true
		case '.':
			dot = true
		}
	}
	if colon && at && (etSecretURL(v) || etSecretBareDSN(v)) {
		return true
	}
	if eq {
		for _, a := range etSecretValueAssignments {
			if etContainsFold(v, a) {
				return true
			}
		}
	}
	if space && (etSecretBearer(v) || etContainsFold(v, "PRIVATE KEY-----")) {
		return true
	}
	if dot && (etSecretJWT(v) || etIndex(v, "hooks.slack.com/", 0) >= 0) {
		return true
	}
	return len(v) >= 19 && etSecretPrefix(v) // the shortest prefix (3) and 16 token bytes
}

// etSecretBearer: "bearer " (any case) and 8 bytes that are not white space.
func etSecretBearer(v string) bool {
	for i := 0; i+7 <= len(v); i++ {
		if etUpper(v[i]) == 'B' && etHasPrefixFoldAt(v, i, "BEARER ") {
			n := 0
			for i+7+n < len(v) && n < 8 && !etSpace(v[i+7+n]) {
				n++
			}
			if n == 8 {
				return true
			}
		}
	}
	return false
}

// etSecretJWT: "eyJ", 8+ token bytes, ".", 8+ token bytes.
func etSecretJWT(v string) bool {
	for i := etIndex(v, "eyJ", 0); i >= 0; i = etIndex(v, "eyJ", i+1) {
		n := etTokenRun(v, i+3)
		if n >= 8 && i+3+n < len(v) && v[i+3+n] == '.' && etTokenRun(v, i+4+n) >= 8 {
			return true
		}
	}
	return false
}

// etSecretPrefix: a known token prefix at the start of a word with 16+ token bytes after it.
func etSecretPrefix(v string) bool {
	for i := 0; i < len(v); i++ {
		if i > 0 && etAlnum(v[i-1]) {
			continue
		}
		for _, p := range etSecretValuePrefixes {
			if p[0] == v[i] && i+len(p) <= len(v) && v[i:i+len(p)] == p && etTokenRun(v, i+len(p)) >= 16 {
				return true
			}
		}
	}
	return false
}

func etHasPrefixFoldAt(s string, i int, upperPrefix string) bool {
	if i+len(upperPrefix) > len(s) {
		return false
	}
	for j := 0; j < len(upperPrefix); j++ {
		if etUpper(s[i+j]) != upperPrefix[j] {
			return false
		}
	}
	return true
}
