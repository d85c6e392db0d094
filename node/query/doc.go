// Package query is the node side of the registry's read contract (see
// x/module: QueryRouter and Page), shared by the public HTTP API
// (node/api) and the command line (jcreditd q, jcreditd export):
//
//   - the modules' proto `service Query` declarations (Method, NewRequest,
//     NewResponse): what can be asked, and of which types;
//   - Lists, the registry's lists, each one module query: their names, API
//     routes and stable orders;
//   - Bind: named string parameters (?fiscal_year=2025&use=re100, or CLI
//     flags) into a request, one rule for every query: a parameter is a
//     request field by its proto name; enums by name with or without their
//     prefix, any case, "-" for "_"; cursor, limit and reverse fill the
//     page;
//   - Items and PageOf: a list response's records and paging state;
//   - Export: a whole list at one pinned height, page by page (bounded
//     memory whatever its length), as CSV (UTF-8 with a byte-order mark, so
//     that Excel reads Japanese correctly) or JSON Lines, each file headed
//     by a line naming the list, chain, height and app hash; ReadCSV and
//     ReadJSONL read them back.
//
// Nothing here reads state or decodes stored records: every answer comes
// from a module query, through whatever Asker the caller has (the app in
// process, or a node's RPC).
package query
