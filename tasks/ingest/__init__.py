"""Bundle → raw documents: extract, decode, batching."""
