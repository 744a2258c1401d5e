/** Entry point of the language server bundle: serve LSP over the transport named on the command line. */
// Filled in by the language-server work.
