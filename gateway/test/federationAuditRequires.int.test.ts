/**
 * Federation gateway audit cases where the planner merges selections of one field with different
 * arguments (its selection key ignores arguments), with the audit's subgraphs and data, trimmed:
 *
 * - `requires-with-argument` 2–4: `Post.author` requires `comments(limit: 3)`, and a client asking
 *   `comments(limit: 1)` must get one comment; the govgraph engine keeps the two apart with a private
 *   alias (gateway/engine/plan/requiredArguments.ts).
 * - `requires-with-argument-conflict`: `shippingEstimate` requires `price(currency: "USD")` and
 *   `shippingEstimateEUR` `price(currency: "EUR")`; the engine plans the two in separate variants
 *   (gateway/engine/plan/requiresConflicts.ts).
 *
 * Stock @apollo/gateway gets all of these wrong: the fixes are in our engine, not in the planner,
 * so these cases are skipped on the reference engine.
 */
import { serve, stopAll } from './support/auditGateway';
import type { AuditCase, Query, Resolvers } from './support/auditGateway';

const COMMENTS = [
  { id: 'c1', postId: 'p1', authorId: 'a2' },
  { id: 'c2', postId: 'p1', authorId: 'a2' },
  { id: 'c3', postId: 'p1', authorId: 'a2' },
  { id: 'c4', postId: 'p2', authorId: 'a1' },
  { id: 'c5', postId: 'p2', authorId: 'a1' },
  { id: 'c6', postId: 'p2', authorId: 'a1' },
];
const commentsOf = (postId: string, limit: number) =>
  COMMENTS.filter((c) => c.postId === postId).slice(0, limit);

const requiresWithArgument: AuditCase = {
  subgraphs: [
    {
      name: 'c',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { feed: [Post] }
        type Post @key(fields: "id") { id: ID! }
        type Comment @key(fields: "id") { id: ID! authorId: ID }`,
      resolvers: {
        Query: { feed: () => [{ id: 'p1' }, { id: 'p2' }] },
        Comment: {
          __resolveReference: ({ id }: { id: string }) => COMMENTS.find((c) => c.id === id) ?? null,
        },
      } as Resolvers,
    },
    {
      name: 'd',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
        type Post @key(fields: "id") {
          id: ID!
          author: Author @requires(fields: "comments(limit: 3) { authorId }")
          comments(limit: Int!): [Comment]
        }
        type Comment @key(fields: "id") { id: ID! authorId: ID @external }
        type Author { id: ID! }`,
      resolvers: {
        Post: {
          // As in the audit: the representation must carry exactly the three required comments.
          __resolveReference: (ref: { id: string; comments?: { authorId: string }[] }) => {
            if (!ref.comments) return { id: ref.id };
            if (ref.comments.length !== 3) throw new Error('Expected 3 comments');
            return { id: ref.id, authorId: ref.comments[2]!.authorId };
          },
          author: ({ authorId }: { authorId?: string }) => (authorId ? { id: authorId } : null),
          comments: ({ id }: { id: string }, { limit }: { limit: number }) =>
            commentsOf(id, limit).map((c) => ({ id: c.id })),
        },
        Comment: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
      } as Resolvers,
    },
  ],
};

const PRODUCTS = [
  { upc: 'p1', price: 11, weight: 1 },
  { upc: 'p2', price: 22, weight: 2 },
];

const requiresWithArgumentConflict: AuditCase = {
  subgraphs: [
    {
      name: 'a',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
        type Product @key(fields: "upc") {
          upc: String!
          weight: Int @external
          price(currency: String!): Int @external
          shippingEstimate: Int @requires(fields: "price(currency: \\"USD\\") weight")
          shippingEstimateEUR: Int @requires(fields: "price(currency: \\"EUR\\") weight")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
          shippingEstimate: ({ price, weight }: { price: number; weight: number }) => price * weight * 10,
          shippingEstimateEUR: ({ price, weight }: { price: number; weight: number }) => price * weight * 10,
        },
      } as Resolvers,
    },
    {
      name: 'b',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        type Query { products: [Product] }
        type Product @key(fields: "upc") { upc: String! name: String price(currency: String!): Int weight: Int }`,
      resolvers: {
        Query: { products: () => PRODUCTS },
        Product: {
          __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((p) => p.upc === upc) ?? null,
          name: ({ upc }: { upc: string }) => {
            if (upc === 'p2') throw new Error('no name for p2');
            return `p-name-${upc.slice(1)}`;
          },
          price: ({ price }: { price: number }, { currency }: { currency: string }) => {
            if (currency === 'EUR') return price * 2;
            if (currency === 'USD') return price;
            throw new Error(`Unsupported currency ${currency}`);
          },
        },
      } as Resolvers,
    },
  ],
};

const EXPECTED = {
  data: {
    feed: [
      { author: { id: 'a2' }, comments: [{ id: 'c1' }] },
      { author: { id: 'a1' }, comments: [{ id: 'c4' }] },
    ],
  },
};

afterAll(stopAll);

// The fix lives in the govgraph engine; the reference engine (integration-apollo) keeps the planner's merge.
const onGovgraph = process.env.GATEWAY_ENGINE === 'apollo' ? describe.skip : describe;

onGovgraph('requires-with-argument: a client field and a @requires of it with other arguments', () => {
  let gql: Query;
  beforeAll(async () => {
    gql = await serve(requiresWithArgument);
  });

  test('the @requires alone still gets its three comments', async () => {
    expect(await gql('{ feed { author { id } } }')).toEqual({
      data: { feed: [{ author: { id: 'a2' } }, { author: { id: 'a1' } }] },
    });
  });

  test('literal, variable and fragment arguments reach the client field, not the required one', async () => {
    expect(await gql('{ feed { author { id } comments(limit: 1) { id } } }')).toEqual(EXPECTED);
    expect(
      await gql('query ($limit: Int = 1) { feed { author { id } comments(limit: $limit) { id } } }'),
    ).toEqual(EXPECTED);
    expect(
      await gql(
        `query ($limit: Int = 1) { feed { author { id } ...Foo ...Bar } }
         fragment Foo on Post { comments(limit: $limit) { id } }
         fragment Bar on Post { comments(limit: $limit) { id } }`,
      ),
    ).toEqual(EXPECTED);
  });

  test('the client may ask more than the @requires, and alias the field itself', async () => {
    expect(await gql('{ feed { comments(limit: 2) { id } author { id } } }')).toEqual({
      data: {
        feed: [
          { comments: [{ id: 'c1' }, { id: 'c2' }], author: { id: 'a2' } },
          { comments: [{ id: 'c4' }, { id: 'c5' }], author: { id: 'a1' } },
        ],
      },
    });
    expect(await gql('{ feed { one: comments(limit: 1) { id } author { id } } }')).toEqual({
      data: {
        feed: [
          { one: [{ id: 'c1' }], author: { id: 'a2' } },
          { one: [{ id: 'c4' }], author: { id: 'a1' } },
        ],
      },
    });
  });
});

onGovgraph('requires-with-argument-conflict: two @requires of one field with other arguments', () => {
  let gql: Query;
  beforeAll(async () => {
    gql = await serve(requiresWithArgumentConflict);
  });

  test('each field is computed from its own arguments, and a shared error is reported once', async () => {
    expect(
      await gql('{ products { upc shippingEstimate shippingEstimateEUR price(currency: "EUR") name } }'),
    ).toEqual({
      data: {
        products: [
          { upc: 'p1', shippingEstimate: 110, shippingEstimateEUR: 220, price: 22, name: 'p-name-1' },
          { upc: 'p2', shippingEstimate: 440, shippingEstimateEUR: 880, price: 44, name: null },
        ],
      },
      errors: [
        expect.objectContaining({ message: 'no name for p2', path: ['products', expect.anything(), 'name'] }),
      ],
    });
  });

  test('either field alone, and the plain price, are unaffected', async () => {
    expect(await gql('{ products { shippingEstimateEUR } }')).toEqual({
      data: { products: [{ shippingEstimateEUR: 220 }, { shippingEstimateEUR: 880 }] },
    });
    expect(await gql('{ products { shippingEstimate price(currency: "USD") } }')).toEqual({
      data: {
        products: [
          { shippingEstimate: 110, price: 11 },
          { shippingEstimate: 440, price: 22 },
        ],
      },
    });
  });
});
