{{- /*
A proxy's Gateways as the Gloo 1.22 chart renders them (http, https and failover; custom and
hybrid gateways, accessLoggingService, disableGeneratedGateways, the Gateway kube overrides merged
as Gloo merges them), then ours on each final Gateway: the downstream keepalive and
TCP_USER_TIMEOUT socket options and the HTTP idle timeout. The same as
components/render/gloo-gateways.ts; what would remove ours fails with the library's words.
*/ -}}

{{- /* Our socket options and idle timeout on one final Gateway: (dict gw typed idle platform name settingsPath overridePath override customPath hybridPath failover). Returns JSON. */ -}}
{{- define "gk.gatewayKeepalive" -}}
{{- $gw := .gw -}}
{{- $spec := $gw.spec -}}
{{- $idle := .idle -}}
{{- $hasIdle := and (not .failover) (not (kindIs "invalid" .idle)) -}}
{{- if or .typed $hasIdle -}}
{{- if not (kindIs "map" $spec) }}{{ fail (printf "%s.spec: makes the Gateway %s's spec not a map: the downstream keepalive (gatewaySettings) renders there" (.overridePath | default .settingsPath) .name) }}{{ end -}}
{{- if .typed -}}
{{- $list := include "gk.at" (list .override "spec" "options" "socketOptions") | fromJson -}}
{{- $list = $list.v -}}
{{- if kindIs "slice" $list -}}
{{- $path := printf "%s.spec.options.socketOptions" .overridePath -}}
{{- range $i, $o := $list -}}
{{- range $t := $.typed -}}
{{- if and (kindIs "map" $o) (eq (toString (int64 $o.level)) (toString (int64 $t.level))) (eq (toString (int64 $o.name)) (toString (int64 $t.name))) -}}
{{- fail (printf "%s[%d]: sets %s, which the typed gatewaySettings (tcpKeepalive, tcpUserTimeoutSeconds) already renders on this Gateway; keep one of them (prefer the typed value)" $path $i (include "gk.socketOptionName" (list $.c $.platform $t))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- include "gk.validateRawKeepalive" (list .c $list $path .platform "intValue") -}}
{{- end -}}
{{- $at := (not (empty .overridePath)) | ternary (printf "%s.spec.options" .overridePath) (printf "%s.options" .settingsPath) -}}
{{- $options := $spec.options -}}
{{- if and (hasKey $spec "options") (not (kindIs "map" $options)) -}}
{{- fail (printf "%s: makes the Gateway %s's spec.options %s: the downstream keepalive socket options (gatewaySettings.tcpKeepalive, tcpUserTimeoutSeconds) go there; remove it or give a map" $at .name ((kindIs "invalid" $options) | ternary "null" "not a map")) -}}
{{- end -}}
{{- $options = $options | default dict -}}
{{- $raw := $options.socketOptions -}}
{{- if not (or (kindIs "invalid" $raw) (kindIs "slice" $raw)) -}}
{{- fail (printf "%s.socketOptions: must be a list of socket options: the downstream keepalive socket options of the Gateway %s are appended to it" $at .name) -}}
{{- end -}}
{{- $_ := set $options "socketOptions" (concat ($raw | default list) .typed) -}}
{{- $_ := set $spec "options" $options -}}
{{- end -}}
{{- if $hasIdle -}}
{{- if .hybridPath -}}
{{- fail (printf "%s: is a hybrid Gateway, which httpIdleTimeoutSeconds cannot reach; set idleTimeout in its matched gateways' httpGateway options instead of %s.httpIdleTimeoutSeconds" .hybridPath .settingsPath) -}}
{{- end -}}
{{- $fromOverride := hasKey (include "gk.at" (list .override "spec" "httpGateway" "options" "httpConnectionManagerSettings" "idleTimeout") | fromJson) "v" -}}
{{- $ownPath := $fromOverride | ternary (printf "%s.spec.httpGateway" .overridePath) (.customPath | default (printf "%s (Gateway %s spec.httpGateway)" .settingsPath .name)) -}}
{{- $http := $spec.httpGateway -}}
{{- if and (hasKey $spec "httpGateway") (not (kindIs "map" $http)) }}{{ fail (printf "%s: is not a map: %s.httpIdleTimeoutSeconds renders the idle timeout there" $ownPath .settingsPath) }}{{ end -}}
{{- $http = $http | default dict -}}
{{- $own := (include "gk.at" (list $http "options" "httpConnectionManagerSettings" "idleTimeout") | fromJson).v -}}
{{- if not (kindIs "invalid" $own) -}}
{{- $m := (kindIs "string" $own) | ternary (regexFind "^[0-9]+(\\.[0-9]+)?s$" (trim (toString $own))) "" -}}
{{- if or (eq $m "") (ne (float64 (trimSuffix "s" $m)) (float64 $idle)) -}}
{{- fail (printf "%s.options.httpConnectionManagerSettings.idleTimeout: is %s, but %s.httpIdleTimeoutSeconds asks for %ds; keep one of them" $ownPath (toJson $own) .settingsPath (int $idle)) -}}
{{- end -}}
{{- end -}}
{{- $opts := (kindIs "map" $http.options) | ternary $http.options dict -}}
{{- $hcm := (kindIs "map" $opts.httpConnectionManagerSettings) | ternary $opts.httpConnectionManagerSettings dict -}}
{{- $_ := set $hcm "idleTimeout" (printf "%ds" (int $idle)) -}}
{{- $_ := set $opts "httpConnectionManagerSettings" $hcm -}}
{{- $_ := set $http "options" $opts -}}
{{- $_ := set $spec "httpGateway" $http -}}
{{- end -}}
{{- end -}}
{{- toJson $gw -}}
{{- end -}}

{{- /* The value at a key path, through maps only: (list value key...). Returns JSON {"v": value}, or {} when a step is missing or not a map. */ -}}
{{- define "gk.at" -}}
{{- $node := index . 0 -}}
{{- $found := true -}}
{{- range $key := rest . -}}
{{- if and $found (kindIs "map" $node) (hasKey $node $key) }}{{ $node = index $node $key }}{{ else }}{{ $found = false }}{{ end -}}
{{- end -}}
{{- if $found }}{{ toJson (dict "v" $node) }}{{ else }}{}{{ end -}}
{{- end -}}

{{- /* The name of one of our socket options (SO_KEEPALIVE, TCP_KEEPIDLE, ..., TCP_USER_TIMEOUT): (list c platform option). */ -}}
{{- define "gk.socketOptionName" -}}
{{- $n := index (index . 0).socketOptions (index . 1) -}}
{{- $o := index . 2 -}}
{{- $key := printf "%d/%d" (int64 $o.level) (int64 $o.name) -}}
{{- $names := dict (printf "%d/%d" (int64 $n.SOL_SOCKET) (int64 $n.SO_KEEPALIVE)) "SO_KEEPALIVE" (printf "%d/%d" (int64 $n.IPPROTO_TCP) (int64 $n.TCP_KEEPIDLE)) "TCP_KEEPIDLE" (printf "%d/%d" (int64 $n.IPPROTO_TCP) (int64 $n.TCP_KEEPINTVL)) "TCP_KEEPINTVL" (printf "%d/%d" (int64 $n.IPPROTO_TCP) (int64 $n.TCP_KEEPCNT)) "TCP_KEEPCNT" "6/18" "TCP_USER_TIMEOUT" -}}
{{- index $names $key | default $key -}}
{{- end -}}

{{- /* The http or https Gateway as Gloo renders it, before its override: (dict g spec name ns labels settingsPath tracing). Returns JSON. */ -}}
{{- define "gk.generatedGateway" -}}
{{- $g := .g -}}
{{- $settings := .spec.gatewaySettings | default dict -}}
{{- $gwSpec := dict -}}
{{- if $g.hybrid -}}
{{- range $k, $v := $g.hybrid -}}
{{- if has $k (list "bindAddress" "bindPort" "httpGateway" "options" "useProxyProto" "ssl" "proxyNames") -}}
{{- fail (printf "%s.%s.%s: the Gateway's %s is written by the Gateway itself (a hybrid value holds hybridGateway); the Gloo chart would write %s twice" $.settingsPath $g.hybridKey $k $k $k) -}}
{{- end -}}
{{- $_ := set $gwSpec $k (deepCopy $v) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $gwSpec "bindAddress" (($settings.ipv4Only | default false) | ternary "0.0.0.0" "::") -}}
{{- $_ := set $gwSpec "bindPort" $g.port -}}
{{- if $g.custom }}{{ $_ := set $gwSpec "httpGateway" (deepCopy $g.custom) }}
{{- else if .tracing }}{{ if .tracing.provider }}{{ $_ := set $gwSpec "httpGateway" (dict "options" (dict "httpConnectionManagerSettings" (dict "tracing" (deepCopy .tracing.provider)))) }}{{ end }}
{{- else }}{{ $_ := set $gwSpec "httpGateway" dict }}{{ end -}}
{{- if or $settings.options $settings.accessLoggingService -}}
{{- $o := dict -}}
{{- if $settings.options }}{{ $o = deepCopy $settings.options }}{{ end -}}
{{- if $settings.accessLoggingService -}}
{{- if and (kindIs "map" $settings.options) (hasKey ($settings.options | default dict) "accessLoggingService") -}}
{{- fail (printf "%s.options.accessLoggingService: is set twice: %s.accessLoggingService renders the same key (the Gloo chart would write it twice); keep one of them" .settingsPath .settingsPath) -}}
{{- end -}}
{{- $_ := set $o "accessLoggingService" (deepCopy $settings.accessLoggingService) -}}
{{- end -}}
{{- $_ := set $gwSpec "options" $o -}}
{{- end -}}
{{- $_ := set $gwSpec "useProxyProto" $settings.useProxyProto -}}
{{- $_ := set $gwSpec "ssl" $g.ssl -}}
{{- $_ := set $gwSpec "proxyNames" (list .name) -}}
{{- toJson (dict "apiVersion" "gateway.solo.io/v1" "kind" "Gateway" "metadata" (dict "name" (printf "%s%s" .name $g.suffix) "namespace" .ns "labels" (deepCopy .labels)) "spec" $gwSpec) -}}
{{- end -}}

{{- /* Every Gateway of a proxy, final: (dict c spec name ns releaseNamespace labels settingsPath failoverPath typed platform). Returns a JSON list. */ -}}
{{- define "gk.gateways" -}}
{{- $spec := .spec -}}
{{- $settings := $spec.gatewaySettings | default dict -}}
{{- $pod := $spec.podTemplate | default dict -}}
{{- $out := list -}}
{{- $common := dict "c" .c "typed" .typed "idle" $settings.httpIdleTimeoutSeconds "platform" .platform "settingsPath" .settingsPath -}}
{{- if $settings.enabled -}}
{{- if not $settings.disableGeneratedGateways -}}
{{- range $g := list (dict "suffix" "" "port" $pod.httpPort "ssl" false "off" $settings.disableHttpGateway "override" $settings.httpGatewayKubeOverride "overrideKey" "httpGatewayKubeOverride" "custom" $settings.customHttpGateway "customKey" "customHttpGateway" "hybrid" $settings.httpHybridGateway "hybridKey" "httpHybridGateway") (dict "suffix" "-ssl" "port" $pod.httpsPort "ssl" true "off" $settings.disableHttpsGateway "override" $settings.httpsGatewayKubeOverride "overrideKey" "httpsGatewayKubeOverride" "custom" $settings.customHttpsGateway "customKey" "customHttpsGateway" "hybrid" $settings.httpsHybridGateway "hybridKey" "httpsHybridGateway") -}}
{{- if not $g.off -}}
{{- $gw := include "gk.generatedGateway" (dict "g" $g "spec" $spec "name" $.name "ns" $.ns "labels" $.labels "settingsPath" $.settingsPath "tracing" $spec.tracing) | fromJson -}}
{{- if $g.override }}{{ $gw = mergeOverwrite $gw (deepCopy $g.override) }}{{ end -}}
{{- $customPath := "" -}}
{{- if $g.custom }}{{ $customPath = printf "%s.%s" $.settingsPath $g.customKey }}{{ end -}}
{{- $args := merge (dict "gw" $gw "name" (printf "%s%s" $.name $g.suffix) "override" $g.override "overridePath" ((not (empty $g.override)) | ternary (printf "%s.%s" $.settingsPath $g.overrideKey) "") "customPath" $customPath "hybridPath" ((not (empty $g.hybrid)) | ternary (printf "%s.%s" $.settingsPath $g.hybridKey) "")) $common -}}
{{- $out = append $out (include "gk.gatewayKeepalive" $args | fromJson) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $failover := $spec.failover | default dict -}}
{{- if and $failover $failover.enabled -}}
{{- $tcpHost := dict "name" "failover" "sslConfig" (dict "secretRef" (dict "name" (hasKey $failover "secretName" | ternary $failover.secretName "failover-downstream") "namespace" .releaseNamespace)) "destination" (dict "forwardSniClusterName" dict) -}}
{{- $gwSpec := dict "bindAddress" (($settings.ipv4Only | default false) | ternary "0.0.0.0" "::") "bindPort" (hasKey $failover "port" | ternary $failover.port 15443) "tcpGateway" (dict "tcpHosts" (list $tcpHost)) "proxyNames" (list .name) -}}
{{- $gw := dict "apiVersion" "gateway.solo.io/v1" "kind" "Gateway" "metadata" (dict "name" (printf "%s-failover" .name) "namespace" .ns "labels" (deepCopy .labels)) "spec" $gwSpec -}}
{{- if $failover.kubeResourceOverride }}{{ $gw = mergeOverwrite $gw (deepCopy $failover.kubeResourceOverride) }}{{ end -}}
{{- $args := merge (dict "gw" $gw "name" (printf "%s-failover" .name) "override" $failover.kubeResourceOverride "overridePath" ((not (empty $failover.kubeResourceOverride)) | ternary (printf "%s.kubeResourceOverride" .failoverPath) "") "failover" true "settingsPath" .failoverPath) $common -}}
{{- $out = append $out (include "gk.gatewayKeepalive" $args | fromJson) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{- /* The failover Service port, as Gloo's Service renders it: (spec). Returns a JSON list (empty without failover). */ -}}
{{- define "gk.failoverServicePorts" -}}
{{- $failover := .failover | default dict -}}
{{- if and $failover $failover.enabled -}}
{{- $port := hasKey $failover "port" | ternary $failover.port 15443 -}}
{{- toJson (list (dict "port" $port "targetPort" $port "protocol" "TCP" "name" "failover" "nodePort" $failover.nodePort)) -}}
{{- else -}}
[]
{{- end -}}
{{- end -}}
