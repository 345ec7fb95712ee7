import { composeSupergraph, CompositionError } from './compose';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

test('subgraphs that extend a shared entity compose into one supergraph', () => {
  const sdl = composeSupergraph([
    {
      name: 'a',
      url: 'http://a/graphql',
      typeDefs: `${LINK} type Query { agency(code: ID!): Agency } type Agency @key(fields: "code") { code: ID! name: String! }`,
    },
    {
      name: 'b',
      url: 'http://b/graphql',
      typeDefs: `${LINK} type Agency @key(fields: "code") { code: ID! budget: Int }`,
    },
  ]);
  expect(sdl).toContain('@join__graph(name: "a", url: "http://a/graphql")');
  expect(sdl).toMatch(/type Agency[\s\S]*budget: Int/);
});

test('conflicting subgraphs fail with every composition error listed', () => {
  const compose = () =>
    composeSupergraph([
      {
        name: 'a',
        url: 'http://a',
        typeDefs: `${LINK} type Query { x: Int } type Agency @key(fields: "code") { code: ID! name: String! }`,
      },
      {
        name: 'b',
        url: 'http://b',
        typeDefs: `${LINK} type Query { y: Int } type Agency @key(fields: "code") { code: ID! name: Int! }`,
      },
    ]);
  expect(compose).toThrow(CompositionError);
  try {
    compose();
  } catch (e) {
    expect((e as CompositionError).messages.length).toBeGreaterThan(0);
    expect((e as Error).message).toMatch(/Agency\.name/);
  }
});
