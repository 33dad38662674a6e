// The words smarm-top takes before its options (docs/recording.md): named apart from
// record-cli.ts so that checking the command line does not load the recorder's code.
export const RECORD_COMMANDS = new Set(['record', 'postmortem']);
