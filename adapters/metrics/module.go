package metrics

import "go.uber.org/fx"

// Module provides the service's metrics registry.
var Module = fx.Module("metrics", fx.Provide(New))
