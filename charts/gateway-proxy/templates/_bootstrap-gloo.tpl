{{/*
What the Gloo chart adds to a proxy's bootstrap from its values, as
components/render/bootstrap-gloo.ts adds it (the parity test holds them together): the custom
static layer, stats_config, the SDS cluster and TLS to the control plane, the access-log,
tracing and AWS STS clusters, bootstrap extensions, the overload manager and the xDS API
version. Takes (list constants bootstrap spec ctx values); returns the bootstrap as JSON.
*/}}
{{- define "gk.glooBootstrap" -}}
{{- $c := index . 0 -}}
{{- $b := index . 1 -}}
{{- $spec := index . 2 -}}
{{- $ctx := index . 3 -}}
{{- $values := index . 4 -}}
{{- include "gk.validateGlooBootstrap" (list $c $spec $ctx) -}}
{{- $global := $values.global | default dict -}}
{{- $mtls := ($global.glooMtls | default dict).enabled -}}
{{- $sds := or $mtls (($global.istioSDS | default dict).enabled) (($global.istioIntegration | default dict).enabled) -}}
{{- $ka := include "gk.envoyKeepalive" (list $c (include "gk.staticClusterKeepalive" $spec | fromJson)) | fromJson -}}
{{- $xdsName := printf "gloo.%s.svc.%s:%d" $ctx.namespace $ctx.domain (int $ctx.xdsPort) -}}
{{- $http2 := dict "envoy.extensions.upstreams.http.v3.HttpProtocolOptions" (dict "@type" "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions" "explicit_http_config" (dict "http2_protocol_options" dict)) -}}
{{- $sdsConfig := dict "api_config_source" (dict "api_type" "GRPC" "grpc_services" (list (dict "envoy_grpc" (dict "cluster_name" "gateway_proxy_sds"))) "transport_api_version" "V3") "resource_api_version" "V3" -}}
{{- $tls := dict "name" "envoy.transport_sockets.tls" "typed_config" (dict "@type" "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext" "common_tls_context" (dict "tls_certificate_sds_secret_configs" (list (dict "name" "server_cert" "sds_config" $sdsConfig)) "validation_context_sds_secret_config" (dict "name" "validation_context" "sds_config" $sdsConfig))) -}}
{{- $extra := list -}}
{{- $logger := $values.accessLogger | default dict -}}
{{- if $logger.enabled -}}
{{- $host := printf "gateway-proxy-access-logger.%s.svc.%s" $ctx.namespace $ctx.domain -}}
{{- $extra = append $extra (dict "connect_timeout" "5s" "load_assignment" (include "gk.loadAssignment" (list "access_log_cluster" $host (int ($logger.port | default $c.glooBootstrap.accessLoggerPort))) | fromJson) "name" "access_log_cluster" "type" "STRICT_DNS" "typed_extension_protocol_options" $http2 "upstream_connection_options" (dict "tcp_keepalive" $ka)) -}}
{{- end -}}
{{- range $cluster := (($spec.tracing | default dict).cluster | default list) -}}
{{- if kindIs "map" $cluster -}}
{{- $own := ($cluster.upstream_connection_options | default dict).tcp_keepalive | default dict -}}
{{- $extra = append $extra (include "gk.merge" (list $cluster (dict "upstream_connection_options" (dict "tcp_keepalive" (include "gk.merge" (list $ka $own) | fromJson)))) | fromJson) -}}
{{- end -}}
{{- end -}}
{{- $aws := ($values.settings | default dict).aws | default dict -}}
{{- if $aws.enableServiceAccountCredentials -}}
{{- $host := "sts.amazonaws.com" -}}
{{- with $aws.stsCredentialsRegion }}{{ $host = printf "sts.%v.amazonaws.com" . }}{{ end -}}
{{- $extra = append $extra (dict "connect_timeout" "5s" "lb_policy" "ROUND_ROBIN" "load_assignment" (include "gk.loadAssignment" (list "aws_sts_cluster" $host 443) | fromJson) "name" "aws_sts_cluster" "transport_socket" (dict "name" "envoy.transport_sockets.tls" "typed_config" (dict "@type" "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext" "sni" $host)) "type" "LOGICAL_DNS" "upstream_connection_options" (dict "tcp_keepalive" $ka)) -}}
{{- end -}}
{{- $clusters := list -}}
{{- range $i, $cluster := $b.static_resources.clusters -}}
{{- if and $mtls (has $cluster.name (list $xdsName "rest_xds_cluster")) }}{{ $_ := set $cluster "transport_socket" $tls }}{{ end -}}
{{- $clusters = append $clusters $cluster -}}
{{- if and $sds (eq $i 0) -}}
{{- $clusters = append $clusters (dict "connect_timeout" "0.25s" "load_assignment" (include "gk.loadAssignment" (list "gateway_proxy_sds" "127.0.0.1" $c.glooBootstrap.sdsPort) | fromJson) "name" "gateway_proxy_sds" "typed_extension_protocol_options" $http2 "upstream_connection_options" (dict "tcp_keepalive" $ka)) -}}
{{- end -}}
{{- if eq (toString $cluster.name) "wasm-cache" }}{{ $clusters = concat $clusters $extra }}{{ end -}}
{{- end -}}
{{- $_ := set $b.static_resources "clusters" $clusters -}}
{{- if kindIs "map" $spec.customStaticLayer -}}
{{- $layer := index $b.layered_runtime.layers 0 -}}
{{- $_ := set $layer "static_layer" (merge (deepCopy $layer.static_layer) $spec.customStaticLayer) -}}
{{- end -}}
{{- with $spec.envoyStatsConfig }}{{ $_ := set $b "stats_config" . }}{{ end -}}
{{- $version := toString ($spec.envoyApiVersion | default $c.glooBootstrap.envoyApiVersion) -}}
{{- $_ := set $b.dynamic_resources.ads_config "transport_api_version" $version -}}
{{- $_ := set $b.dynamic_resources.cds_config "resource_api_version" $version -}}
{{- $_ := set $b.dynamic_resources.lds_config "resource_api_version" $version -}}
{{- with $spec.envoyBootstrapExtensions }}{{ $_ := set $b "bootstrap_extensions" . }}{{ end -}}
{{- $om := $spec.envoyOverloadManager | default dict -}}
{{- if and (kindIs "map" $om) $om.enabled -}}
{{- $om = merge (deepCopy $om) $c.glooBootstrap.overloadDefaults -}}
{{- $_ := set $b "overload_manager" (dict "actions" $om.actions "buffer_factory_config" ($om.bufferFactoryConfig | default dict) "refresh_interval" $om.refreshInterval "resource_monitors" $om.resourceMonitors) -}}
{{- end -}}
{{- toJson $b -}}
{{- end -}}

{{/* What the library refuses in these keys (bootstrap-gloo.ts glooBootstrapIssues): (list constants spec ctx). */}}
{{- define "gk.validateGlooBootstrap" -}}
{{- $c := index . 0 -}}
{{- $spec := index . 1 -}}
{{- $ctx := index . 2 -}}
{{- $at := dict -}}
{{- range $key := list "customStaticLayer" "envoyApiVersion" "envoyLogLevel" "tracing" "envoyStaticClusters" -}}
{{- $_ := set $at $key (index $ctx.origin $key | default (printf "gatewayProxies.%s.%s" $ctx.key $key)) -}}
{{- end -}}
{{- if kindIs "map" $spec.customStaticLayer -}}
{{- range $key, $value := dict "overload" "globalDownstreamMaxConnections" "upstream" "healthyPanicThreshold" -}}
{{- if hasKey $spec.customStaticLayer $key }}{{ fail (printf "%s.%s: Gloo renders the static layer's %s itself (%s); set that value instead" $at.customStaticLayer $key $key $value) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if and (not (kindIs "invalid" $spec.envoyApiVersion)) (ne (toString $spec.envoyApiVersion) $c.glooBootstrap.envoyApiVersion) -}}
{{- fail (printf "%s: %s: Envoy accepts only V3 (V2 and AUTO are disallowed by default)" $at.envoyApiVersion (toJson $spec.envoyApiVersion)) -}}
{{- end -}}
{{- if and $spec.envoyLogLevel (not (has (toString $spec.envoyLogLevel) $c.glooBootstrap.envoyLogLevels)) -}}
{{- fail (printf "%s: %s is not an Envoy log level (%s)" $at.envoyLogLevel (toJson $spec.envoyLogLevel) (join ", " $c.glooBootstrap.envoyLogLevels)) -}}
{{- end -}}
{{- $tracing := list -}}
{{- range $cluster := (($spec.tracing | default dict).cluster | default list) }}{{ if kindIs "map" $cluster }}{{ $tracing = append $tracing $cluster }}{{ end }}{{ end -}}
{{- $clustersPath := printf "%s.cluster" $at.tracing -}}
{{- $statics := dict -}}
{{- range $i, $s := ($spec.envoyStaticClusters | default list) }}{{ $_ := set $statics (toString $s.name) $i }}{{ end -}}
{{- $builtIn := merge (dict (printf "gloo.%s.svc.%s:%d" $ctx.namespace $ctx.domain (int $ctx.xdsPort)) $c.xdsClusterDescription) $c.builtInClusters -}}
{{- $seen := dict -}}
{{- range $i, $cluster := $tracing -}}
{{- include "gk.validateClusterSemantics" (list $c (printf "%s[%d]" $clustersPath $i) $cluster (($spec.gatewaySettings | default dict).socketOptionsPlatform | default "linux")) -}}
{{- $path := printf "%s[%d].name" $clustersPath $i -}}
{{- $name := toString $cluster.name -}}
{{- if or (not (kindIs "string" $cluster.name)) (eq (trim $name) "") }}{{ fail (printf "%s: a tracing cluster needs a name" $path) }}
{{- else if hasKey $builtIn $name }}{{ fail (printf "%s: %q is the name of %s, a built-in cluster of the bootstrap; choose another name" $path $name (index $builtIn $name)) }}
{{- else if hasKey $statics $name }}{{ fail (printf "%s: %q is already the name of %s[%d]" $path $name $at.envoyStaticClusters (int (index $statics $name))) }}
{{- else if hasKey $seen $name }}{{ fail (printf "%s: %q is already the name of %s[%d]" $path $name $clustersPath (int (index $seen $name))) }}
{{- end -}}
{{- $_ := set $seen $name $i -}}
{{- $own := ($cluster.upstream_connection_options | default dict).tcp_keepalive | default dict -}}
{{- range $field, $f := $c.keepaliveFields -}}
{{- if hasKey $own $f.envoy -}}
{{- $v := index $own $f.envoy -}}
{{- $vp := printf "%s[%d].upstream_connection_options.tcp_keepalive.%s" $clustersPath $i $f.envoy -}}
{{- if not (or (kindIs "float64" $v) (kindIs "int" $v) (kindIs "int64" $v)) }}{{ fail (printf "%s: %s is not a whole number%s" $vp (toJson $v) (ternary "" " of seconds" (eq $field "probes"))) }}
{{- else if ne (float64 (int64 $v)) (float64 $v) }}{{ fail (printf "%s: %v is not a whole number (never rounded)" $vp $v) }}
{{- else if gt (int64 $v) (int64 $f.max) }}{{ fail (printf "%s: %d exceeds the kernel maximum %d" $vp (int64 $v) (int64 $f.max)) }}
{{- else if lt (int64 $v) (int64 $f.min) }}{{ fail (printf "%s: %d is below the kernel minimum %d" $vp (int64 $v) (int64 $f.min)) }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Envoy's --log-level argument as Gloo writes it, when envoyLogLevel is set: takes the spec; returns a JSON list. */}}
{{- define "gk.envoyLogLevelArgs" -}}
{{- if .envoyLogLevel }}{{ toJson (list (printf "--log-level %v" .envoyLogLevel)) }}{{ else }}[]{{ end -}}
{{- end -}}
