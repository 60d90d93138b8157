// Package wire encodes what api/asyncapi.yaml and api/openapi.yaml publish about an alert, once,
// for both the WebSocket frame (adapters/hub) and the REST history (adapters/http): a front end
// reads the same object from either. It lives beside the specs because it is their Go half; the
// adapters import it, the domain and the use cases never do.
package wire
