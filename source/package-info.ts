// The bundle has package.json's version and description built in (scripts/build.mjs), so that
// meow does not search for and normalize package.json at every start.
declare const SMARM_PACKAGE_VERSION: string | undefined;
declare const SMARM_PACKAGE_DESCRIPTION: string | undefined;

export const PACKAGE_INFO = {
  name: 'smarm-top',
  version: typeof SMARM_PACKAGE_VERSION === 'string' ? SMARM_PACKAGE_VERSION : 'development build',
  description: typeof SMARM_PACKAGE_DESCRIPTION === 'string' ? SMARM_PACKAGE_DESCRIPTION : '',
};
