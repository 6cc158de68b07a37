// cytoscape-elk ships no types: it is a cytoscape extension registering the layout named 'elk'.
declare module 'cytoscape-elk' {
  import type { Ext } from 'cytoscape';
  const register: Ext;
  export default register;
}
