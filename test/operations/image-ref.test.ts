import { describe, expect, it } from 'vitest';
import { checkImage } from '../../source/operations/image-ref.js';

describe('checkImage', () => {
  it.each([
    'busybox',
    'lab/busybox:2',
    'registry.example.com:5000/team/app:v1.2.3',
    'localhost/app_x__y-z:latest',
    `app@sha256:${'a'.repeat(64)}`,
    `lab/busybox:1@sha256:${'0'.repeat(64)}`,
    '[::1]:5000/app:1',
  ])('accepts %s', (text) => {
    expect(checkImage(text)).toEqual({ ok: true, image: text });
  });

  it.each([
    ['', 'Type the new image, or Esc to cancel.'],
    ['lab/busybox: 2', '"lab/busybox: 2" has a space in it: an image reference has none.'],
    ['lab/busybox\t2', 'The image has a control character in it: type it again.'],
    ['lab/busybox:2\u001b[31m', 'The image has a control character in it: type it again.'],
    [
      'Lab/BusyBox:2',
      '"Lab/BusyBox:2" is not an image reference: repository names are lower case.',
    ],
    [
      'lab//busybox',
      '"lab//busybox" is not an image reference (name[:tag][@digest], e.g. lab/busybox:2).',
    ],
    [
      'lab/busybox:',
      '"lab/busybox:" is not an image reference (name[:tag][@digest], e.g. lab/busybox:2).',
    ],
    [
      'lab/busybox:-x',
      '"lab/busybox:-x" is not an image reference (name[:tag][@digest], e.g. lab/busybox:2).',
    ],
    [
      'app@sha256:abc',
      '"app@sha256:abc" is not an image reference (name[:tag][@digest], e.g. lab/busybox:2).',
    ],
  ])('refuses %j in one sentence', (text, error) => {
    expect(checkImage(text)).toEqual({ ok: false, error });
  });

  it('refuses a name longer than 255 characters', () => {
    const check = checkImage(`${'a'.repeat(256)}:1`);
    expect(check).toEqual({
      ok: false,
      error: 'The image name is 256 characters long: at most 255.',
    });
  });
});
