{{- /*
Every refusal of the chart that the values schema cannot express, in one place, worded as the
library words it (components/render/render.ts, components/checks/): `<value path>: <what is wrong>`.
test/chart-refusals.test.ts holds the chart and the library to the same value path for every
invalid fixture.
*/ -}}

{{- /* The user's static clusters of one proxy: (list builtInNames clustersPath clusters). */ -}}
{{- define "gk.validateStaticClusters" -}}
{{- $builtIn := index . 0 -}}
{{- $clustersPath := index . 1 -}}
{{- $seen := dict -}}
{{- range $i, $cluster := (index . 2 | default list) -}}
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
{{- $settings := $spec.gatewaySettings | default dict -}}
{{- if and (ne $settings.enabled false) (hasKey $settings "tcpKeepalive") (kindIs "map" $settings.options) -}}
{{- $typed := include "gk.socketOptions" (list $c $settings.tcpKeepalive ($settings.socketOptionsPlatform | default "linux")) | fromJsonArray -}}
{{- range $i, $option := ($settings.options.socketOptions | default list) -}}
{{- range $t := $typed -}}
{{- if and (kindIs "map" $option) (eq (toString (int64 $option.level)) (toString (int64 $t.level))) (eq (toString (int64 $option.name)) (toString (int64 $t.name))) -}}
{{- fail (printf "%s.options.socketOptions[%d]: sets level %v name %v, which %s.tcpKeepalive already renders; keep one of them (prefer the typed tcpKeepalive)" $.settingsPath $i $t.level $t.name $.settingsPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}
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
