'use strict';
// @naravard/sdk is an ES module. Node.js 20.19+ and 22.12+ load ES modules with require(); on an
// older Node.js (or with --no-experimental-require-module) this says so and how to import it.
try {
  module.exports = require('./dist/index.js');
} catch (error) {
  if (error && error.code === 'ERR_REQUIRE_ESM') {
    throw new Error(
      "@naravard/sdk is an ES module (ESM only), and this Node.js cannot require() ES modules (Node.js 20.19+ and 22.12+ can). " +
        "Import it instead: import { createClient } from '@naravard/sdk'; or, from CommonJS, const { createClient } = await import('@naravard/sdk').",
      { cause: error },
    );
  }
  throw error;
}
