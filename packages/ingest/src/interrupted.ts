/** The run was stopped on purpose (Ctrl-C, SIGTERM): nothing was written; a Kolada run can resume. */
export class ImportInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'ImportInterrupted';
  }
}
