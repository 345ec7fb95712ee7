/** Tìm kiếm văn bản: the published documents matching the words (trusted document SearchDocuments). */
import { date, errorText } from './format';
import { ApiError, run } from './trusted';

interface SearchPage {
  nodes: {
    id: string;
    numberSymbol: string;
    docType: { name: string } | null;
    subject: string;
    issuerName: string | null;
    issuedDate: string;
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAGE = 10;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class SearchView {
  private query = '';
  private cursor: string | null = null;
  private count = 0;

  /** A new search (`after` unset) or its next page. */
  async search(query: string, more = false): Promise<void> {
    const message = $('search-message');
    const results = $('results');
    const button = $<HTMLButtonElement>('more');
    if (!more) {
      this.query = query;
      this.cursor = null;
      this.count = 0;
      results.replaceChildren();
      button.hidden = true;
    }
    message.className = '';
    message.textContent = 'Đang tìm…';
    let page: SearchPage;
    try {
      page = (
        await run<{ searchDocuments: SearchPage }>('SearchDocuments', {
          query: this.query,
          first: PAGE,
          after: this.cursor,
        })
      ).searchDocuments;
    } catch (err) {
      message.className = 'error';
      message.textContent =
        err instanceof ApiError ? errorText(err.code, 'văn bản') : errorText('NETWORK', 'văn bản');
      return;
    }
    for (const doc of page.nodes) {
      const li = document.createElement('li');
      li.innerHTML =
        '<div class="doc-number"></div><div class="doc-subject"></div><div class="doc-meta"></div>';
      li.querySelector('.doc-number')!.textContent = [doc.docType?.name, doc.numberSymbol]
        .filter(Boolean)
        .join(' số ');
      li.querySelector('.doc-subject')!.textContent = doc.subject;
      li.querySelector('.doc-meta')!.textContent = `${doc.issuerName ?? ''}${
        doc.issuerName ? ', ' : ''
      }ban hành ngày ${date(doc.issuedDate)}`;
      results.append(li);
    }
    this.count += page.nodes.length;
    this.cursor = page.pageInfo.endCursor;
    button.hidden = !page.pageInfo.hasNextPage;
    message.textContent = this.count
      ? `Đã hiển thị ${this.count} văn bản cho “${this.query}”${page.pageInfo.hasNextPage ? '; còn nữa' : ''}.`
      : `Không có văn bản nào cho “${this.query}”.`;
  }

  more(): Promise<void> {
    return this.search(this.query, true);
  }
}
