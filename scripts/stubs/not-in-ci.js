// smarm-top decides interactivity from the TTY itself; Ink's CI detection would stop it drawing
// frames whenever CI is set in the environment, even on a real terminal.
export default false;
