/**
 * edXML document exchange (docs/interop.md): a document's package and status message, what a
 * received package brought (attachments, trace), and the two mutations that take packages in.
 * A refused package answers BAD_USER_INPUT with `element` (the first element at fault) and
 * `problems` (every one); nothing is stored then.
 */
import { AppError, ErrorCode, vnToday } from '../../../kit';
import { receivePackage, recordStatus } from '../db/exchange';
import type { DocumentRow } from '../db/rows';
import { readDocumentPackage } from '../edxml/read';
import { readStatusPackage } from '../edxml/status';
import { documentPackage, issuerOrganId, statusPackage } from '../edxml/write';
import { EdxmlRefused } from '../edxml/xml';
import type {
  DocumentResolvers,
  ExchangeHopResolvers,
  MutationResolvers,
  RecipientResolvers,
} from '../generated/graphql';
import type { Ctx } from './context';
import * as v from './validate';

function refused(err: unknown): never {
  if (err instanceof EdxmlRefused) {
    const [first] = err.problems;
    throw new AppError(ErrorCode.BAD_USER_INPUT, `package: ${err.message}`, {
      field: 'package',
      element: first!.element,
      problems: err.problems,
    });
  }
  throw err;
}

async function agencyNames(ctx: Ctx, codes: (string | null)[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const code of codes) {
    if (!code || names.has(code)) continue;
    const agency = await ctx.loaders.agency.load(code);
    if (agency) names.set(code, agency.name);
  }
  return names;
}

export const DocumentExchange: Pick<
  DocumentResolvers,
  'edxml' | 'edxmlStatus' | 'attachments' | 'exchangeTrace'
> = {
  edxml: async (d, _, ctx) => {
    const [recipients, attachments, traces, names] = await Promise.all([
      ctx.loaders.recipients.load(d.id),
      ctx.loaders.attachments.load(d.id),
      ctx.loaders.traces.load(d.id),
      agencyNames(ctx, [d.agencyCode]),
    ]);
    return documentPackage({
      document: d,
      recipients,
      attachments,
      traces,
      agencyNames: names,
      now: new Date(),
    });
  },
  edxmlStatus: async (d, _, ctx) =>
    statusPackage(d, await agencyNames(ctx, [d.agencyCode, issuerOrganId(d)]), new Date()),
  attachments: (d, _, ctx) => ctx.loaders.attachments.load(d.id),
  exchangeTrace: (d, _, ctx) => ctx.loaders.traces.load(d.id),
};

export const ExchangeHop: ExchangeHopResolvers = {
  agency: (t, _, ctx) => ctx.loaders.agency.load(t.organId),
};

export const RecipientExchange: Pick<RecipientResolvers, 'exchangeStatus'> = {
  exchangeStatus: (r) => r.exchangeStatus ?? null,
};

export const ExchangeMutations: Pick<MutationResolvers, 'receiveEdxml' | 'receiveEdxmlStatus'> = {
  receiveEdxml: async (_, args, ctx) => {
    const agencyCode = v.agencyCode(args.agencyCode, 'agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'agencyCode');
    let pkg;
    try {
      pkg = readDocumentPackage(args.package);
      if (!pkg.to.some((t) => t.organId === agencyCode))
        throw new EdxmlRefused([
          {
            element: 'edXMLHeader/MessageHeader/To',
            message: `the package is not addressed to ${agencyCode}`,
          },
        ]);
      if (pkg.promulgationDate > vnToday())
        throw new EdxmlRefused([
          {
            element: 'edXMLHeader/MessageHeader/PromulgationInfo/PromulgationDate',
            message: `${pkg.promulgationDate} is in the future`,
          },
        ]);
    } catch (err) {
      refused(err);
    }
    const received = await receivePackage(ctx.db, agencyCode, pkg, new Date().toISOString());
    ctx.loaders.document.clear(received.document.id);
    return received;
  },
  receiveEdxmlStatus: async (_, args, ctx): Promise<DocumentRow> => {
    const agencyCode = v.agencyCode(args.agencyCode, 'agencyCode');
    await ctx.access.requireOfficialOf(agencyCode, 'agencyCode');
    let status;
    try {
      status = readStatusPackage(args.package);
      if (status.to.organId !== agencyCode)
        throw new EdxmlRefused([
          { element: 'Header/To', message: `the message is not addressed to ${agencyCode}` },
        ]);
    } catch (err) {
      refused(err);
    }
    return recordStatus(ctx.db, status);
  },
};
