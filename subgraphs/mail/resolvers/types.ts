/** Agency (contributed fields), Official (owned here), mailboxes and messages. */
import {
  cursorPart,
  kpiNeeds,
  loadKpiSet,
  notFound,
  pageWindow,
  parsePeriod,
  periodKpiArgs,
  toConnection,
  vnDate,
} from '../../../kit';
import type { PersonalDataOwner } from '../../../kit';
import type {
  AgencyResolvers,
  AttachmentResolvers,
  LoginRecordResolvers,
  MailStatsResolvers,
  MailboxResolvers,
  MessageResolvers,
  OfficialConnectionResolvers,
  OfficialResolvers,
} from '../generated/graphql';
import type { Ctx } from './context';
import * as v from './validate';

const isN = cursorPart.int;

export const Agency: AgencyResolvers = {
  __resolveReference: (ref) => ({ code: ref.code }),
  mailStats: async (a, args, ctx, info) => {
    const period = parsePeriod(args.period);
    const activeWithinDays = v.windowDays(args.activeWithinDays, 'activeWithinDays');
    const includeSubordinates = args.includeSubordinates ?? false;
    const { row, kpi } = await loadKpiSet(
      {
        code: a.code,
        ...periodKpiArgs(period, { activeWithinDays, includeSubordinates }),
        catalogue: ctx.loaders.catalogue,
        load: (id, q) => ctx.loaders.mailStats.load({ id, arg: q }),
      },
      kpiNeeds(info),
    );
    if (!row) throw notFound(`Agency ${a.code}`);
    return { ...row, ...period, activeWithinDays, kpi };
  },
  officials: async (a, args, ctx) => {
    ctx.access.requireSignedIn('the directory of officials');
    const window = pageWindow(args, ctx.maxPageSize, isN);
    const rows = await ctx.loaders.agencyOfficials.load({
      id: a.code,
      arg: { after: window.after, limit: window.fetch },
    });
    return {
      ...toConnection(rows, window, (o) => o.n),
      totalCount: async () => (await ctx.loaders.agencyOfficialCount.load(a.code))?.n ?? 0,
    };
  },
};

export const Official: OfficialResolvers = {
  // The directory is for signed-in callers (docs/access-policy.md): the gateway refuses anonymous ones
  // first (`Official @authenticated`); this is the second line, on every route that reaches an official.
  __resolveReference: (ref, ctx) => {
    ctx.access.requireSignedIn(`official ${ref.id}`);
    return ctx.loaders.official.load(ref.id);
  },
  agency: (o) => ({ code: o.agencyCode }),
  // A mailbox only for callers who may read its agency's (null otherwise).
  mailbox: async (o, _, ctx) => {
    const m = await ctx.loaders.mailboxOfOfficial.load(o.id);
    return m && (await ctx.access.canRead({ agencyCode: m.agencyCode })) ? m : null;
  },
};

export const OfficialConnection: OfficialConnectionResolvers = {
  totalCount: (c) => c.totalCount(),
};

export const Mailbox: MailboxResolvers = {
  owner: async (m, _, ctx) => (await ctx.loaders.official.load(m.officialId))!,
  agency: (m) => ({ code: m.agencyCode }),
  lastLoginOn: (m) => (m.lastLoginAt ? vnDate(m.lastLoginAt) : null),
  // Each login carries its mailbox's agency: whose personal data it is (loginOwner).
  loginHistory: async (m, args, ctx) =>
    (
      await ctx.loaders.logins.load({
        id: m.address,
        arg: { limit: v.count(args.first, 'first', 100, 20), until: args.until ?? null },
      })
    ).map((l) => ({ ...l, agencyCode: m.agencyCode })),
};

/** A mailbox's personal data (logins) belongs to its agency (its official is not a citizen here). */
export const mailboxOwner = (m: { address: string; agencyCode: string }): PersonalDataOwner => ({
  id: m.address,
  agencyCode: m.agencyCode,
});
export const loginOwner = (l: { address: string; at: string; agencyCode: string }): PersonalDataOwner => ({
  id: `${l.address}@${l.at}`,
  agencyCode: l.agencyCode,
});

/** Mailbox `address` if the caller may read its (non-public) records; null when there is none. */
export async function readableMailbox(ctx: Ctx, address: string) {
  const row = await ctx.loaders.mailbox.load(address);
  if (row) await ctx.access.requireRead({ agencyCode: row.agencyCode }, `mailbox ${address}`);
  return row ?? null;
}

/** Throws unless the caller may read mailbox `address`'s (non-public) records: NOT_FOUND when there is none. */
export async function requireMailbox(ctx: Ctx, address: string) {
  const row = await readableMailbox(ctx, address);
  if (!row) throw notFound(`Mailbox ${address}`);
  return row;
}

export const LoginRecord: LoginRecordResolvers = {
  on: (l) => vnDate(l.at),
};

export const Message: MessageResolvers = {
  id: (g) => String(g.id),
  sender: (g) => g.senderAddress,
  recipients: (g, _, ctx) => ctx.loaders.recipients.load(g.id),
  attachments: (g, _, ctx) => ctx.loaders.attachments.load(g.id),
};

export const Attachment: AttachmentResolvers = {
  citedDocument: (t) =>
    t.citedAgencyCode && t.citedYear !== null && t.citedNumberSymbol
      ? { agencyCode: t.citedAgencyCode, year: t.citedYear, numberSymbol: t.citedNumberSymbol }
      : null,
};

export const DocumentCitation = {
  agency: (c: { agencyCode: string }) => ({ code: c.agencyCode }),
};

/** The e-mail KPIs of the scorecard, from the same row as the counts. */
export const MailStats: MailStatsResolvers = {
  coverage: (s) =>
    s.kpi((r) => ({
      value: r.mailboxCoverage,
      numerator: r.officialsWithMailbox,
      denominator: r.officials,
    })),
  regularUse: (s) =>
    s.kpi((r) => ({
      value: r.regularUseRatio,
      numerator: r.regularlyUsed,
      denominator: r.mailboxesIssued,
    })),
};
