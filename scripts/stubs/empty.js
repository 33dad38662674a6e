// Stands in for optional modules we never use at run time (react-devtools-core).
export default undefined;
