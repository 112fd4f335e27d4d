//! The command line: one module per subcommand, its help text beside it.
