{{/*
The Envoy v3 bootstrap of one proxy, as components/render/bootstrap.ts renders it (the parity test
holds them together). Takes (list constants spec ctx) with ctx = {name, namespace, domain, origin};
returns the bootstrap as JSON.
*/}}
{{- define "gk.bootstrap" -}}
{{- $c := index . 0 -}}
{{- $spec := index . 1 -}}
{{- $ctx := index . 2 -}}
{{- $ka := include "gk.envoyKeepalive" (list $c (include "gk.staticClusterKeepalive" $spec | fromJson)) | fromJson -}}
{{- $xdsName := printf "gloo.%s.svc.%s:%d" $ctx.namespace $ctx.domain (int $ctx.xdsPort) -}}
{{- $glooHost := printf "gloo.%s.svc.%s" $ctx.namespace $ctx.domain -}}
{{- $xdsAddress := $spec.xdsServiceAddress | default $glooHost -}}
{{- $http2 := dict -}}
{{- with $spec.xdsHttp2Keepalive -}}
{{- $http2 = dict "connection_keepalive" (dict "interval" (printf "%ds" (int .intervalSeconds)) "timeout" (printf "%ds" (int .timeoutSeconds))) -}}
{{- end -}}
{{- $clusters := list -}}
{{- $xds := include "gk.strictDnsCluster" (list $xdsName $xdsAddress (int ($spec.xdsServicePort | default $ctx.xdsPort)) $ka) | fromJson -}}
{{- $_ := set $xds "alt_stat_name" "xds_cluster" -}}
{{- $_ := set $xds "typed_extension_protocol_options" (dict "envoy.extensions.upstreams.http.v3.HttpProtocolOptions" (dict "@type" "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions" "explicit_http_config" (dict "http2_protocol_options" $http2))) -}}
{{- $clusters = append $clusters $xds -}}
{{- $rest := include "gk.strictDnsCluster" (list "rest_xds_cluster" $xdsAddress (int ($spec.xdsServicePort | default $ctx.restXdsPort)) $ka) | fromJson -}}
{{- $_ := set $rest "alt_stat_name" "rest_xds_cluster" -}}
{{- $clusters = append $clusters $rest -}}
{{- $clusters = append $clusters (include "gk.strictDnsCluster" (list "wasm-cache" $glooHost $c.ports.wasmCache $ka) | fromJson) -}}
{{- if or $ctx.stats.enabled $spec.readConfig -}}
{{- $clusters = append $clusters (dict "connect_timeout" "5s" "lb_policy" "ROUND_ROBIN" "load_assignment" (include "gk.loadAssignment" (list "admin_port_cluster" $spec.loopBackAddress $c.ports.admin) | fromJson) "name" "admin_port_cluster" "type" "STATIC" "upstream_connection_options" (dict "tcp_keepalive" $ka)) -}}
{{- end -}}
{{- $builtIn := merge (dict $xdsName $c.xdsClusterDescription) $c.builtInClusters -}}
{{- $clustersPath := index $ctx.origin "envoyStaticClusters" | default (printf "gatewayProxies.%s.envoyStaticClusters" $ctx.key) -}}
{{- include "gk.validateStaticClusters" (list $builtIn $clustersPath $spec.envoyStaticClusters $c (($spec.gatewaySettings | default dict).socketOptionsPlatform | default "linux")) -}}
{{- range $i, $cluster := ($spec.envoyStaticClusters | default list) -}}
{{- $uco := $cluster.upstream_connection_options | default dict -}}
{{- $own := $uco.tcp_keepalive | default dict -}}
{{- $merged := include "gk.merge" (list $ka $own) | fromJson -}}
{{- $clusters = append $clusters (include "gk.merge" (list $cluster (dict "upstream_connection_options" (dict "tcp_keepalive" $merged))) | fromJson) -}}
{{- end -}}
{{- $static := dict "clusters" $clusters -}}
{{- $listeners := list -}}
{{- if $ctx.stats.enabled -}}
{{- $routes := list (dict "match" (dict "path" "/ready")) (dict "match" (dict "prefix" "/metrics") "prefix_rewrite" (include "gk.printedOrNull" $ctx.stats.routePrefixRewrite | fromJson).v) -}}
{{- if $ctx.statsRoute.enabled }}{{ $routes = append $routes (dict "match" (dict "prefix" "/stats") "prefix_rewrite" (include "gk.printedOrNull" $ctx.statsRoute.prefix | fromJson).v) }}{{ end -}}
{{- $listeners = append $listeners (include "gk.adminRoutesListener" (list "prometheus_listener" $c.ports.prometheus "prometheus" $routes) | fromJson) -}}
{{- end -}}
{{- if $spec.readConfig -}}
{{- $routes := list -}}
{{- range $match := list (dict "path" "/ready") (dict "prefix" "/stats") (dict "prefix" "/config_dump") (dict "prefix" "/clusters") }}{{ $routes = append $routes (dict "match" $match) }}{{ end -}}
{{- $listeners = append $listeners (include "gk.adminRoutesListener" (list "read_config_listener" $c.ports.readConfig "read_config" $routes) | fromJson) -}}
{{- end -}}
{{- if $listeners }}{{ $_ := set $static "listeners" $listeners }}{{ end -}}
admin:
  access_log_path: /dev/null
  address:
    socket_address:
      address: {{ $spec.loopBackAddress | toJson }}
      port_value: {{ $c.ports.admin }}
dynamic_resources:
  ads_config:
    api_type: GRPC
    grpc_services:
      - envoy_grpc:
          cluster_name: {{ $xdsName | toJson }}
    rate_limit_settings: {}
    transport_api_version: V3
  cds_config:
    ads: {}
    resource_api_version: V3
  lds_config:
    ads: {}
    resource_api_version: V3
layered_runtime:
  layers:
    - name: static_layer
      static_layer:
        overload:
          global_downstream_max_connections: {{ $spec.globalDownstreamMaxConnections | toJson }}
        upstream:
          healthy_panic_threshold:
            value: {{ $spec.healthyPanicThreshold | toJson }}
    - name: admin_layer
      admin_layer: {}
node:
  cluster: gateway
  id: "{{ "{{.PodName}}.{{.PodNamespace}}" }}"
  metadata:
    role: {{ printf "%s~%s" ($ctx.writeNamespace | default $ctx.namespace) $ctx.name | toJson }}
static_resources: {{ toJson $static }}
{{- end -}}

{{/* Takes (list name address port keepalive); returns JSON. */}}
{{- define "gk.strictDnsCluster" -}}
{{- $name := index . 0 -}}
{{- toJson (dict "connect_timeout" "5s" "load_assignment" (include "gk.loadAssignment" (list $name (index . 1) (index . 2)) | fromJson) "name" $name "respect_dns_ttl" true "type" "STRICT_DNS" "upstream_connection_options" (dict "tcp_keepalive" (index . 3))) -}}
{{- end -}}

{{/* Takes (list clusterName address port); returns JSON. */}}
{{- define "gk.loadAssignment" -}}
{{- toJson (dict "cluster_name" (index . 0) "endpoints" (list (dict "lb_endpoints" (list (dict "endpoint" (dict "address" (dict "socket_address" (dict "address" (index . 1) "port_value" (index . 2))))))))) -}}
{{- end -}}

{{/* A listener of GET routes to the admin port cluster. Takes (list name port statPrefix routes), routes [{match, prefix_rewrite?}]; returns JSON. */}}
{{- define "gk.adminRoutesListener" -}}
{{- $prefix := index . 2 -}}
{{- $routes := list -}}
{{- range $r := index . 3 -}}
{{- $route := dict "cluster" "admin_port_cluster" -}}
{{- if hasKey $r "prefix_rewrite" }}{{ $_ := set $route "prefix_rewrite" $r.prefix_rewrite }}{{ end -}}
{{- $routes = append $routes (dict "match" (merge (dict "headers" (list (dict "name" ":method" "string_match" (dict "exact" "GET")))) $r.match) "route" $route) -}}
{{- end -}}
{{- $router := dict "name" "envoy.filters.http.router" "typed_config" (dict "@type" "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router") -}}
{{- $hcm := dict "@type" "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager" "codec_type" "AUTO" "http_filters" (list $router) "route_config" (dict "name" (printf "%s_route" $prefix) "virtual_hosts" (list (dict "domains" (list "*") "name" (printf "%s_host" $prefix) "routes" $routes))) "stat_prefix" $prefix -}}
{{- toJson (dict "address" (dict "socket_address" (dict "address" "0.0.0.0" "port_value" (index . 1))) "filter_chains" (list (dict "filters" (list (dict "name" "envoy.filters.network.http_connection_manager" "typed_config" $hcm)))) "name" (index . 0)) -}}
{{- end -}}

{{/* A value as Gloo's template prints it, null when unset (prefix_rewrite: null is Envoy's default). Returns JSON {v}. */}}
{{- define "gk.printedOrNull" -}}
{{- toJson (dict "v" ((kindIs "invalid" .) | ternary nil (toString .))) -}}
{{- end -}}
