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
{{- $xdsPort := int $spec.xdsServicePort -}}
{{- $xdsName := printf "gloo.%s.svc.%s:%d" $ctx.namespace $ctx.domain $xdsPort -}}
{{- $glooHost := printf "gloo.%s.svc.%s" $ctx.namespace $ctx.domain -}}
{{- $http2 := dict -}}
{{- with $spec.xdsHttp2Keepalive -}}
{{- $http2 = dict "connection_keepalive" (dict "interval" (printf "%ds" (int .intervalSeconds)) "timeout" (printf "%ds" (int .timeoutSeconds))) -}}
{{- end -}}
{{- $clusters := list -}}
{{- $xds := include "gk.strictDnsCluster" (list $xdsName $spec.xdsServiceAddress $xdsPort $ka) | fromJson -}}
{{- $_ := set $xds "alt_stat_name" "xds_cluster" -}}
{{- $_ := set $xds "typed_extension_protocol_options" (dict "envoy.extensions.upstreams.http.v3.HttpProtocolOptions" (dict "@type" "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions" "explicit_http_config" (dict "http2_protocol_options" $http2))) -}}
{{- $clusters = append $clusters $xds -}}
{{- $rest := include "gk.strictDnsCluster" (list "rest_xds_cluster" $spec.xdsServiceAddress $c.ports.restXds $ka) | fromJson -}}
{{- $_ := set $rest "alt_stat_name" "rest_xds_cluster" -}}
{{- $clusters = append $clusters $rest -}}
{{- $clusters = append $clusters (include "gk.strictDnsCluster" (list "wasm-cache" $glooHost $c.ports.wasmCache $ka) | fromJson) -}}
{{- if $spec.readConfig -}}
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
{{- if $spec.readConfig -}}
{{- $_ := set $static "listeners" (list (include "gk.readConfigListener" $c | fromYaml)) -}}
{{- end -}}
admin:
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
          global_downstream_max_connections: 250000
        upstream:
          healthy_panic_threshold:
            value: 50
    - name: admin_layer
      admin_layer: {}
node:
  cluster: gateway
  id: "{{ "{{.PodName}}.{{.PodNamespace}}" }}"
  metadata:
    role: {{ printf "%s~%s" $ctx.namespace $ctx.name | toJson }}
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

{{/* The read-config listener (Gloo's), routes to the admin port cluster. Takes constants; returns YAML. */}}
{{- define "gk.readConfigListener" -}}
address:
  socket_address:
    address: 0.0.0.0
    port_value: {{ .ports.readConfig }}
filter_chains:
  - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          codec_type: AUTO
          http_filters:
            - name: envoy.filters.http.router
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          route_config:
            name: read_config_route
            virtual_hosts:
              - domains: ["*"]
                name: read_config_host
                routes:
{{- range $match := list (dict "path" "/ready") (dict "prefix" "/stats") (dict "prefix" "/config_dump") (dict "prefix" "/clusters") }}
                  - match: {{ toJson (merge $match (dict "headers" (list (dict "name" ":method" "string_match" (dict "exact" "GET"))))) }}
                    route:
                      cluster: admin_port_cluster
{{- end }}
          stat_prefix: read_config
name: read_config_listener
{{- end -}}
