"""Pure security functions: hashing, tokens and input rules. No I/O."""
