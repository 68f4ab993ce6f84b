{{/*
The load balancer in front of a proxy and the middleboxes on its other hops, and what they
render, as components/render/middlebox.ts does (the parity test holds them together).
*/}}

{{/*
The proxy's boxes as annotations (JSON), failing on values the library refuses. Takes
(list constants spec origin key).
*/}}
{{- define "gk.middleboxAnnotations" -}}
{{- $c := index . 0 -}}
{{- $spec := index . 1 -}}
{{- $origin := index . 2 -}}
{{- $key := index . 3 -}}
{{- $path := printf "gatewayProxies.%s" $key -}}
{{- $a := $c.annotations -}}
{{- $out := dict -}}
{{- $lbPath := index $origin "loadBalancer" | default (printf "%s.loadBalancer" $path) -}}
{{- if and (hasKey $spec "loadBalancer") (hasKey $spec "loadBalancerIdleTimeoutSeconds") -}}
{{- fail (printf "%s: is the shorthand for %s {type: custom-l4}; set one of them, not both" (index $origin "loadBalancerIdleTimeoutSeconds" | default (printf "%s.loadBalancerIdleTimeoutSeconds" $path)) $lbPath) -}}
{{- else if hasKey $spec "loadBalancer" -}}
{{- $type := $spec.loadBalancer.type -}}
{{- $t := index $c.loadBalancerTypes $type -}}
{{- $idle := 0 -}}
{{- if hasKey $spec.loadBalancer "idleTimeoutSeconds" -}}
{{- $idle = int $spec.loadBalancer.idleTimeoutSeconds -}}
{{- if or (lt $idle (int $t.minIdleTimeoutSeconds)) (gt $idle (int $t.maxIdleTimeoutSeconds)) -}}
{{- $range := printf "%d..%d s" (int $t.minIdleTimeoutSeconds) (int $t.maxIdleTimeoutSeconds) -}}
{{- if eq (int $t.minIdleTimeoutSeconds) (int $t.maxIdleTimeoutSeconds) }}{{ $range = printf "fixed at %d s" (int $t.minIdleTimeoutSeconds) }}{{ end -}}
{{- fail (printf "%s.idleTimeoutSeconds: %d is outside the idle timeout of a %s load balancer (%s: %s)" $lbPath $idle $type $range $t.description) -}}
{{- end -}}
{{- else if hasKey $t "defaultIdleTimeoutSeconds" -}}
{{- $idle = int $t.defaultIdleTimeoutSeconds -}}
{{- else -}}
{{- fail (printf "%s: a %s load balancer has no documented idle timeout: set idleTimeoutSeconds" $lbPath $type) -}}
{{- end -}}
{{- $_ := set $out $a.loadBalancerIdleTimeout (printf "%d" $idle) -}}
{{- $_ := set $out $a.loadBalancerType $type -}}
{{- else if hasKey $spec "loadBalancerIdleTimeoutSeconds" -}}
{{- $_ := set $out $a.loadBalancerIdleTimeout (printf "%d" (int $spec.loadBalancerIdleTimeoutSeconds)) -}}
{{- $_ := set $out $a.loadBalancerType "custom-l4" -}}
{{- end -}}
{{- if hasKey $spec "controlPlaneIdleTimeoutSeconds" }}{{ $_ := set $out $a.controlPlaneIdleTimeout (printf "%d" (int $spec.controlPlaneIdleTimeoutSeconds)) }}{{ end -}}
{{- if hasKey $spec "egressIdleTimeoutSeconds" }}{{ $_ := set $out $a.egressIdleTimeout (printf "%d" (int $spec.egressIdleTimeoutSeconds)) }}{{ end -}}
{{- include "gk.checkUserTimeout" (list $c $spec $origin $key) -}}
{{- toJson $out -}}
{{- end -}}

{{/* Fails where TCP_USER_TIMEOUT is set twice (typed and raw) or on Darwin. Takes (list constants spec origin key). */}}
{{- define "gk.checkUserTimeout" -}}
{{- $c := index . 0 -}}
{{- $spec := index . 1 -}}
{{- $origin := index . 2 -}}
{{- $key := index . 3 -}}
{{- $ut := $c.tcpUserTimeout -}}
{{- $settings := $spec.gatewaySettings | default dict -}}
{{- $settingsPath := index $origin "gatewaySettings" | default (printf "gatewayProxies.%s.gatewaySettings" $key) -}}
{{- if hasKey $settings "tcpUserTimeoutSeconds" -}}
{{- if eq ($settings.socketOptionsPlatform | default "linux") "darwin" -}}
{{- fail (printf "%s.tcpUserTimeoutSeconds: TCP_USER_TIMEOUT is a Linux socket option; Darwin has none (socketOptionsPlatform: darwin)" $settingsPath) -}}
{{- end -}}
{{- $raw := list -}}
{{- if kindIs "map" $settings.options }}{{ $raw = $settings.options.socketOptions | default list }}{{ end -}}
{{- range $i, $o := $raw -}}
{{- if and (kindIs "map" $o) (eq (toString (int64 $o.level)) (toString $ut.level)) (eq (toString (int64 $o.name)) (toString $ut.name)) -}}
{{- fail (printf "%s.options.socketOptions[%d]: sets TCP_USER_TIMEOUT, which %s.tcpUserTimeoutSeconds already renders; keep one of them" $settingsPath $i $settingsPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if hasKey $spec "tcpUserTimeoutSeconds" -}}
{{- $clustersPath := index $origin "envoyStaticClusters" | default (printf "gatewayProxies.%s.envoyStaticClusters" $key) -}}
{{- $utPath := index $origin "tcpUserTimeoutSeconds" | default (printf "gatewayProxies.%s.tcpUserTimeoutSeconds" $key) -}}
{{- range $i, $cluster := ($spec.envoyStaticClusters | default list) -}}
{{- $bind := $cluster.upstream_bind_config | default dict -}}
{{- range $j, $o := ($bind.socket_options | default list) -}}
{{- if and (kindIs "map" $o) (eq (toString (int64 $o.level)) (toString $ut.level)) (eq (toString (int64 $o.name)) (toString $ut.name)) -}}
{{- fail (printf "%s[%d].upstream_bind_config.socket_options[%d]: sets TCP_USER_TIMEOUT, which %s already renders on every cluster; keep one of them" $clustersPath $i $j $utPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* TCP_USER_TIMEOUT as a socket option (milliseconds). Takes (list constants seconds); returns JSON. */}}
{{- define "gk.userTimeoutOption" -}}
{{- $ut := (index . 0).tcpUserTimeout -}}
{{- toJson (dict "description" $ut.description "level" $ut.level "name" $ut.name "intValue" (mul (int64 (index . 1)) 1000) "state" "STATE_PREBIND") -}}
{{- end -}}

{{/* Every cluster of a bootstrap with TCP_USER_TIMEOUT in upstream_bind_config.socket_options. Takes (list constants bootstrap spec); returns JSON. */}}
{{- define "gk.withClusterUserTimeout" -}}
{{- $c := index . 0 -}}
{{- $bootstrap := index . 1 -}}
{{- $spec := index . 2 -}}
{{- if hasKey $spec "tcpUserTimeoutSeconds" -}}
{{- $option := include "gk.userTimeoutOption" (list $c $spec.tcpUserTimeoutSeconds) | fromJson -}}
{{- $option = dict "description" $option.description "level" $option.level "name" $option.name "int_value" $option.intValue "state" $option.state -}}
{{- $clusters := list -}}
{{- range $cluster := $bootstrap.static_resources.clusters -}}
{{- $bind := $cluster.upstream_bind_config | default dict -}}
{{- $_ := set $bind "socket_options" (append ($bind.socket_options | default list) $option) -}}
{{- $_ := set $cluster "upstream_bind_config" $bind -}}
{{- $clusters = append $clusters $cluster -}}
{{- end -}}
{{- $_ := set $bootstrap.static_resources "clusters" $clusters -}}
{{- end -}}
{{- toJson $bootstrap -}}
{{- end -}}

{{/* The httpGateway of a proxy's Gateways: the HTTP idle timeout when set. Takes the gatewaySettings; returns JSON. */}}
{{- define "gk.httpGateway" -}}
{{- if hasKey . "httpIdleTimeoutSeconds" -}}
{{- toJson (dict "options" (dict "httpConnectionManagerSettings" (dict "idleTimeout" (printf "%ds" (int .httpIdleTimeoutSeconds))))) -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{/* The smallest egress idle timeout of the rendered proxies, as the Upstreams' annotation (JSON; {} without one). Takes the root context. */}}
{{- define "gk.upstreamAnnotations" -}}
{{- $c := include "gk.constants" . | fromJson -}}
{{- $min := 0 -}}
{{- range $key, $proxy := include "gk.proxies" . | fromJson -}}
{{- if hasKey $proxy.spec "egressIdleTimeoutSeconds" -}}
{{- $idle := int $proxy.spec.egressIdleTimeoutSeconds -}}
{{- if or (eq $min 0) (lt $idle $min) }}{{ $min = $idle }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if gt $min 0 }}{{ toJson (dict $c.annotations.egressIdleTimeout (printf "%d" $min)) }}{{ else }}{}{{ end -}}
{{- end -}}
