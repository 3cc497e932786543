"""What the command groups share: the context, parameters, output, CSV files and the CLI's words."""
