{{- /*
Every refusal of the chart that the values schema cannot express, in one place, worded as the
library words it (components/render/render.ts, components/checks/): `<value path>: <what is wrong>`.
test/chart-refusals.test.ts holds the chart and the library to the same value path for every
invalid fixture.
*/ -}}

{{- /* Raw keepalive socket options within the kernel's bounds: (list c options path platform valueKey). */ -}}
{{- define "gk.validateRawKeepalive" -}}
{{- $c := index . 0 -}}
{{- $path := index . 2 -}}
{{- $n := index $c.socketOptions (index . 3) -}}
{{- $valueKey := index . 4 -}}
{{- $options := index . 1 -}}
{{- if kindIs "slice" $options -}}
{{- range $i, $option := $options -}}
{{- if and (kindIs "map" $option) (hasKey $option $valueKey) (eq (toString (int64 $option.level)) (toString $n.IPPROTO_TCP)) -}}
{{- range $field := $c.keepaliveFields -}}
{{- if eq (toString (int64 $option.name)) (toString (index $n $field.socketOption)) -}}
{{- $value := int64 (index $option $valueKey) -}}
{{- if gt $value (int64 $field.max) }}{{ fail (printf "%s[%d].%s: %d exceeds the kernel maximum %d (%s)" $path $i $valueKey $value (int64 $field.max) $field.socketOption) }}{{ end -}}
{{- if lt $value (int64 $field.min) }}{{ fail (printf "%s[%d].%s: %d is below the kernel minimum %d (%s)" $path $i $valueKey $value (int64 $field.min) $field.socketOption) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* What Envoy enforces at load on one static cluster: (list c path cluster platform). */ -}}
{{- define "gk.validateClusterSemantics" -}}
{{- $c := index . 0 -}}
{{- $path := index . 1 -}}
{{- $cluster := index . 2 -}}
{{- if and (kindIs "map" $cluster.upstream_connection_options) (hasKey ($cluster.upstream_connection_options | default dict) "tcpKeepalive") -}}
{{- fail (printf "%s.upstream_connection_options.tcpKeepalive: write tcp_keepalive (snake_case, as in Envoy YAML): the proxy's keepalive and the kernel bounds apply there" $path) -}}
{{- end -}}
{{- $type := $cluster.type | default (ternary "STATIC" "" (not (hasKey $cluster "cluster_type"))) -}}
{{- if and (eq $type "STATIC") (kindIs "map" $cluster.load_assignment) -}}
{{- range $e, $locality := ($cluster.load_assignment.endpoints | default list) -}}
{{- range $l, $lb := ((kindIs "map" $locality) | ternary ($locality.lb_endpoints | default list) list) -}}
{{- $address := dig "endpoint" "address" "socket_address" "address" nil (kindIs "map" $lb | ternary $lb dict) -}}
{{- if and (kindIs "string" $address) (not (regexMatch $c.limits.ipPattern $address)) -}}
{{- fail (printf "%s.load_assignment.endpoints[%d].lb_endpoints[%d].endpoint.address.socket_address.address: %s is not an IP address: a STATIC cluster needs IP addresses (use type STRICT_DNS or LOGICAL_DNS for a host name)" $path $e $l (toJson $address)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $socketType := dig "transport_socket" "typed_config" "@type" nil $cluster -}}
{{- if and (kindIs "string" $socketType) (not (hasPrefix $c.limits.transportSocketTypePrefix $socketType)) -}}
{{- fail (printf "%s.transport_socket.typed_config[\"@type\"]: %s is not a transport socket config (a message of %s*, e.g. %stls.v3.UpstreamTlsContext)" $path (toJson $socketType) (trimPrefix "type.googleapis.com/" $c.limits.transportSocketTypePrefix) $c.limits.transportSocketTypePrefix) -}}
{{- end -}}
{{- range $key, $options := ((kindIs "map" $cluster.typed_extension_protocol_options) | ternary $cluster.typed_extension_protocol_options dict) -}}
{{- $optionsType := (kindIs "map" $options) | ternary (index $options "@type") nil -}}
{{- if and (regexMatch $c.limits.typedOptionsKeyPattern $key) (kindIs "string" $optionsType) (ne $optionsType (printf "type.googleapis.com/%s" $key)) -}}
{{- fail (printf "%s.typed_extension_protocol_options[%s][\"@type\"]: %s is not the message its key names (type.googleapis.com/%s)" $path (toJson $key) (toJson $optionsType) $key) -}}
{{- end -}}
{{- end -}}
{{- $bind := (kindIs "map" $cluster.upstream_bind_config) | ternary $cluster.upstream_bind_config dict -}}
{{- include "gk.validateRawKeepalive" (list $c $bind.socket_options (printf "%s.upstream_bind_config.socket_options" $path) (index . 3) "int_value") -}}
{{- end -}}

{{- /* The user's static clusters of one proxy: (list builtInNames clustersPath clusters c platform). */ -}}
{{- define "gk.validateStaticClusters" -}}
{{- $builtIn := index . 0 -}}
{{- $clustersPath := index . 1 -}}
{{- $c := index . 3 -}}
{{- $platform := index . 4 -}}
{{- $seen := dict -}}
{{- range $i, $cluster := (index . 2 | default list) -}}
{{- include "gk.validateClusterSemantics" (list $c (printf "%s[%d]" $clustersPath $i) $cluster $platform) -}}
{{- $path := printf "%s[%d].name" $clustersPath $i -}}
{{- $name := toString $cluster.name -}}
{{- if eq (trim $name) "" -}}
{{- fail (printf "%s: a static cluster needs a name (empty)" $path) -}}
{{- else if hasKey $builtIn $name -}}
{{- fail (printf "%s: %q is the name of %s, a built-in cluster of the bootstrap (static_resources.clusters); choose another name" $path $name (index $builtIn $name)) -}}
{{- else if hasKey $seen $name -}}
{{- fail (printf "%s: %q is already the name of %s[%d]" $path $name $clustersPath (index $seen $name)) -}}
{{- end -}}
{{- $_ := set $seen $name $i -}}
{{- if hasKey $cluster "upstreamConnectionOptions" -}}
{{- fail (printf "%s[%d].upstreamConnectionOptions: write upstream_connection_options (snake_case, as in Envoy YAML): the proxy's keepalive and the kernel bounds apply there" $clustersPath $i) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* A rendered bootstrap that is not YAML: (list key bootstrap). */ -}}
{{- define "gk.validateBootstrap" -}}
{{- $bootstrap := index . 1 -}}
{{- if hasKey $bootstrap "Error" }}{{ fail (printf "gatewayProxies.%s: bootstrap: %s" (index . 0) $bootstrap.Error) }}{{ end -}}
{{- end -}}

{{- /* Listener and Service ports of one proxy, and raw socket options the typed tcpKeepalive already renders: (dict c spec podPath servicePath settingsPath readConfigPath). */ -}}
{{- define "gk.validateProxy" -}}
{{- $c := .c -}}
{{- $spec := .spec -}}
{{- $pod := $spec.podTemplate | default dict -}}
{{- $service := $spec.service | default dict -}}
{{- $httpPort := int $pod.httpPort -}}
{{- $httpsPort := int $pod.httpsPort -}}
{{- if eq $httpPort $httpsPort }}{{ fail (printf "%s.httpsPort: port %d is already taken by %s.httpPort" .podPath $httpsPort .podPath) }}{{ end -}}
{{- if $spec.readConfig -}}
{{- range $taken := list (list "httpPort" $httpPort) (list "httpsPort" $httpsPort) -}}
{{- if eq (index $taken 1) (int $c.readConfigPort) }}{{ fail (printf "%s: port %d is already taken by %s.%s" $.readConfigPath (int $c.readConfigPort) $.podPath (index $taken 0)) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if eq (int $service.httpPort) (int $service.httpsPort) }}{{ fail (printf "%s.httpsPort: port %d is already taken by %s.httpPort" .servicePath (int $service.httpsPort) .servicePath) }}{{ end -}}
{{- range $i, $arg := ($spec.extraEnvoyArgs | default list) -}}
{{- if and (kindIs "string" $arg) (regexMatch (printf "(?s)%s" $c.limits.bootstrapReplacingArgPattern) $arg) -}}
{{- fail (printf "%s[%d]: %s would replace or loosen the checked bootstrap (/etc/envoy/envoy.yaml); remove it" $.argsPath $i (toJson $arg)) -}}
{{- end -}}
{{- end -}}
{{- $settings := $spec.gatewaySettings | default dict -}}
{{- if kindIs "map" $settings.options -}}
{{- include "gk.validateRawKeepalive" (list $c $settings.options.socketOptions (printf "%s.options.socketOptions" .settingsPath) ($settings.socketOptionsPlatform | default "linux") "intValue") -}}
{{- end -}}
{{- if and $settings.enabled (hasKey $settings "tcpKeepalive") (kindIs "map" $settings.options) -}}
{{- $typed := include "gk.socketOptions" (list $c $settings.tcpKeepalive ($settings.socketOptionsPlatform | default "linux")) | fromJsonArray -}}
{{- $n := index $c.socketOptions ($settings.socketOptionsPlatform | default "linux") -}}
{{- range $i, $option := ($settings.options.socketOptions | default list) -}}
{{- range $t := $typed -}}
{{- if and (kindIs "map" $option) (eq (toString (int64 $option.level)) (toString (int64 $t.level))) (eq (toString (int64 $option.name)) (toString (int64 $t.name))) -}}
{{- $optionName := "" -}}
{{- range $o := list "SO_KEEPALIVE" "TCP_KEEPIDLE" "TCP_KEEPINTVL" "TCP_KEEPCNT" -}}
{{- $level := eq $o "SO_KEEPALIVE" | ternary $n.SOL_SOCKET $n.IPPROTO_TCP -}}
{{- if and (eq (toString (int64 $t.level)) (toString (int64 $level))) (eq (toString (int64 $t.name)) (toString (int64 (index $n $o)))) }}{{ $optionName = $o }}{{ end -}}
{{- end -}}
{{- fail (printf "%s.options.socketOptions[%d]: sets %s, which %s.tcpKeepalive already renders; keep one of them (prefer the typed tcpKeepalive)" $.settingsPath $i $optionName $.settingsPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* Object names two proxies both render: (list seen key names), seen shared across proxies. */ -}}
{{- define "gk.validateNames" -}}
{{- $seen := index . 0 -}}
{{- $key := index . 1 -}}
{{- range $id := index . 2 -}}
{{- if and (hasKey $seen $id) (ne (index $seen $id) $key) }}{{ fail (printf "gatewayProxies.%s: renders %s, which gatewayProxies.%s renders too; rename one of the proxies" $key $id (index $seen $id)) }}{{ end -}}
{{- $_ := set $seen $id $key -}}
{{- end -}}
{{- end -}}

{{- /* Upstreams declared twice (same namespace and name). */ -}}
{{- define "gk.validateUpstreams" -}}
{{- $seen := dict -}}
{{- range $i, $upstream := .Values.upstreams -}}
{{- $id := printf "%s/%s" ($upstream.namespace | default $.Release.Namespace) $upstream.name -}}
{{- if hasKey $seen $id }}{{ fail (printf "upstreams[%d].name: Upstream %s is already declared at upstreams[%d]" $i $id (index $seen $id)) }}{{ end -}}
{{- $_ := set $seen $id $i -}}
{{- end -}}
{{- end -}}
