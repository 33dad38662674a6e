// Is a typed text a plausible image reference? The grammar of distribution/reference (what the
// engine and the docker CLI accept): [domain[:port]/]path[:tag][@algorithm:hex]. Pure.

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** The name part of a reference may be at most this long (distribution/reference). */
const NAME_MAX = 255;

export type ImageCheck = { ok: true; image: string } | { ok: false; error: string };

const EXAMPLE = 'name[:tag][@digest], e.g. lab/busybox:2';

/** `text` as an image reference, or the one sentence that says why not (nothing is sent). */
export function checkImage(text: string): ImageCheck {
  if (text === '') return { ok: false, error: 'Type the new image, or Esc to cancel.' };
  if (/\p{Cc}/u.test(text)) {
    return { ok: false, error: 'The image has a control character in it: type it again.' };
  }
  const shown = JSON.stringify(text);
  if (/\s/u.test(text)) {
    return { ok: false, error: `${shown} has a space in it: an image reference has none.` };
  }
  const match = REFERENCE.exec(text);
  if (match === null) {
    // The commonest slip: capitals in the repository (only the registry's host may have them).
    const lowered = REFERENCE.exec(text.replace(/(^|\/)([^/]*)$/, (all) => all.toLowerCase()));
    return {
      ok: false,
      error:
        lowered !== null && /[A-Z]/.test(text)
          ? `${shown} is not an image reference: repository names are lower case.`
          : `${shown} is not an image reference (${EXAMPLE}).`,
    };
  }
  if (match[1]!.length > NAME_MAX) {
    return {
      ok: false,
      error: `The image name is ${match[1]!.length} characters long: at most ${NAME_MAX}.`,
    };
  }
  return { ok: true, image: text };
}
