"""Commands' workers beside the site: import, export, synth, publish, PDF, scaffold, schemas, privacy scan."""
