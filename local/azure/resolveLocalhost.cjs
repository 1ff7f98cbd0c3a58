"use strict";
// Preload (node --require) for processes that talk to the local Azure: resolves "localhost" and
// every "*.localhost" name to 127.0.0.1, as RFC 6761 reserves them for loopback. Storage is
// reached as in Azure, by host name (https://<account>.blob.localhost:<port>), and the system
// resolver here does not know such names. Node's net module looks dns.lookup up at each
// connection, so replacing it covers http, https, the Azure SDKs and fetch.
const dns = require("node:dns");

const systemLookup = dns.lookup;
const systemPromisesLookup = dns.promises.lookup;

function isLoopbackName(hostname) {
  const name = String(hostname).toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

function loopbackFor(options) {
  // The local Azure listens on 127.0.0.1 only; IPv6 is given only to a caller that insists on it.
  return options && options.family === 6 ? { address: "::1", family: 6 } : { address: "127.0.0.1", family: 4 };
}

function normalizeOptions(options) {
  if (typeof options === "number") return { family: options };
  return options || {};
}

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (!isLoopbackName(hostname)) return systemLookup.call(dns, hostname, options, callback);
  const normalized = normalizeOptions(options);
  const answer = loopbackFor(normalized);
  if (normalized.all) process.nextTick(callback, null, [answer]);
  else process.nextTick(callback, null, answer.address, answer.family);
  return {};
};

dns.promises.lookup = function lookup(hostname, options) {
  if (!isLoopbackName(hostname)) return systemPromisesLookup.call(dns.promises, hostname, options);
  const normalized = normalizeOptions(options);
  const answer = loopbackFor(normalized);
  return Promise.resolve(normalized.all ? [answer] : answer);
};
