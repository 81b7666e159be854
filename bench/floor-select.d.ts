/** Parses a list page with cheerio and selects its rows (see floor-select.js); returns the rows found. */
export declare function parseAndSelect(html: string, release: boolean): number;
