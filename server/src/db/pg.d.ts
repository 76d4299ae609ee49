// The few parts of `pg` the server touches directly (knex drives the rest); @types/pg is not installed.
declare module 'pg' {
  const pg: { types: { setTypeParser(oid: number, parse: (value: string) => unknown): void } };
  export default pg;
}
