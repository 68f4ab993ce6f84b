{{/*
Deep merge, as the library's mergeValues: maps merge key by key, lists and scalars replace,
null removes the key. Takes (list base over); returns JSON.
*/}}
{{- define "gk.merge" -}}
{{- $base := index . 0 | default dict -}}
{{- $over := index . 1 | default dict -}}
{{- $out := deepCopy $base -}}
{{- range $key, $value := $over -}}
{{- $current := index $out $key -}}
{{- if kindIs "invalid" $value -}}
{{- $_ := unset $out $key -}}
{{- else if and (kindIs "map" $value) (kindIs "map" $current) -}}
{{- $_ := set $out $key (include "gk.merge" (list $current $value) | fromJson) -}}
{{- else -}}
{{- $_ := set $out $key (deepCopy $value) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Every enabled proxy: gatewayProxies with gloo.gatewayProxies merged over it, then each entry
merged over the default entry. Returns JSON: name -> {spec, origin: {key: value path}}.
*/}}
{{- define "gk.proxies" -}}
{{- $out := dict -}}
{{- range $name, $proxy := include "gk.allProxies" . | fromJson }}{{ if not $proxy.spec.disabled }}{{ $_ := set $out $name $proxy }}{{ end }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{/* gk.proxies with the disabled entries too (Gloo renders a disabled proxy's PodDisruptionBudget). */}}
{{- define "gk.allProxies" -}}
{{- $c := include "gk.constants" . | fromJson -}}
{{- $entries := dict -}}
{{- $origins := dict -}}
{{- range $prefix, $proxies := dict "gatewayProxies" (.Values.gatewayProxies | default dict) "gloo.gatewayProxies" ((.Values.gloo | default dict).gatewayProxies | default dict) -}}
{{- range $name, $entry := $proxies -}}
{{- $entry = $entry | default dict -}}
{{- if hasKey $entries $name }}{{ $_ := set $entries $name (include "gk.merge" (list (index $entries $name) $entry) | fromJson) }}
{{- else }}{{ $_ := set $entries $name (deepCopy $entry) }}{{ end -}}{{- /* an entry's own null stays, to remove what it inherits */ -}}
{{- $origin := index $origins $name | default dict -}}
{{- range $key, $_ := $entry -}}
{{- $_ := set $origin $key (printf "%s.%s.%s" $prefix $name $key) -}}
{{- end -}}
{{- $_ := set $origins $name $origin -}}
{{- end -}}
{{- end -}}
{{- $defaultName := $c.defaultProxy -}}
{{- $default := index $entries $defaultName | default dict -}}
{{- $defaultOrigin := index $origins $defaultName | default dict -}}
{{- $out := dict -}}
{{- range $name, $entry := $entries -}}
{{- $spec := $entry -}}
{{- $origin := index $origins $name -}}
{{- if and (ne $name $defaultName) (hasKey $entries $defaultName) -}}
{{- $spec = include "gk.merge" (list $default $entry) | fromJson -}}
{{- $origin = merge (deepCopy $origin) $defaultOrigin -}}
{{- end -}}
{{- $_ := set $out $name (dict "spec" $spec "origin" $origin "entry" $entry) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Helm's kebabcase for the proxy names the schema allows. */}}
{{- define "gk.name" -}}
{{- . | kebabcase -}}
{{- end -}}

{{/* Labels on every object. Takes the release name. */}}
{{- define "gk.releaseLabels" -}}
{{- toJson (dict "app" "gloo" "app.kubernetes.io/instance" . "app.kubernetes.io/part-of" "gloo-keepalive") -}}
{{- end -}}

{{/* Labels of a proxy's objects. Takes (list proxyName releaseName). */}}
{{- define "gk.proxyLabels" -}}
{{- $labels := include "gk.releaseLabels" (index . 1) | fromJson -}}
{{- toJson (merge $labels (dict "gloo" "gateway-proxy" "gateway-proxy-id" (index . 0))) -}}
{{- end -}}

{{/* The Envoy tcp_keepalive a proxy puts on its static clusters (only the fields that are set). Takes the spec. */}}
{{- define "gk.staticClusterKeepalive" -}}
{{- $k := dict -}}
{{- if hasKey . "tcpKeepaliveTimeSeconds" }}{{ $_ := set $k "timeSeconds" .tcpKeepaliveTimeSeconds }}{{ end -}}
{{- if hasKey . "tcpKeepaliveIntervalSeconds" }}{{ $_ := set $k "intervalSeconds" .tcpKeepaliveIntervalSeconds }}{{ end -}}
{{- if hasKey . "tcpKeepaliveProbes" }}{{ $_ := set $k "probes" .tcpKeepaliveProbes }}{{ end -}}
{{- toJson $k -}}
{{- end -}}

{{/* TcpKeepalive -> Envoy tcp_keepalive. Takes (list constants keepalive). */}}
{{- define "gk.envoyKeepalive" -}}
{{- $c := index . 0 -}}
{{- $k := index . 1 -}}
{{- $out := dict -}}
{{- range $field, $info := $c.keepaliveFields -}}
{{- if hasKey $k $field }}{{ $_ := set $out $info.envoy (index $k $field) }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* TcpKeepalive -> pod sysctls (values as strings). Takes (list constants keepalive). */}}
{{- define "gk.sysctls" -}}
{{- $c := index . 0 -}}
{{- $k := index . 1 -}}
{{- $out := list -}}
{{- range $field := list "timeSeconds" "intervalSeconds" "probes" -}}
{{- if hasKey $k $field }}{{ $out = append $out (dict "name" (index $c.keepaliveFields $field).sysctl "value" (printf "%d" (int (index $k $field)))) }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* TcpKeepalive -> listener socket options. Takes (list constants keepalive platform). */}}
{{- define "gk.socketOptions" -}}
{{- $c := index . 0 -}}
{{- $k := index . 1 -}}
{{- $n := index $c.socketOptions (index . 2) -}}
{{- $out := list (dict "description" $c.socketOptionDescriptions.SO_KEEPALIVE "level" $n.SOL_SOCKET "name" $n.SO_KEEPALIVE "intValue" 1 "state" "STATE_PREBIND") -}}
{{- range $field := list "timeSeconds" "intervalSeconds" "probes" -}}
{{- if hasKey $k $field -}}
{{- $out = append $out (dict "description" (index $c.socketOptionDescriptions $field) "level" $n.IPPROTO_TCP "name" (index $n (index $c.keepaliveFields $field).socketOption) "intValue" (index $k $field) "state" "STATE_PREBIND") -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Worst-case detection seconds: time + interval x probes, OS defaults for unset fields. Takes (list keepalive osDefaults). */}}
{{- define "gk.detectionSeconds" -}}
{{- $k := index . 0 -}}
{{- $os := index . 1 -}}
{{- $time := int (hasKey $k "timeSeconds" | ternary $k.timeSeconds $os.timeSeconds) -}}
{{- $interval := int (hasKey $k "intervalSeconds" | ternary $k.intervalSeconds $os.intervalSeconds) -}}
{{- $probes := int (hasKey $k "probes" | ternary $k.probes $os.probes) -}}
{{- add $time (mul $interval $probes) -}}
{{- end -}}

{{/* Whether a proxy runs as a Deployment, as Gloo decides: kind.workloadType first, else a kind.deployment map. Takes kind; returns "true" or "false". */}}
{{- define "gk.isDeployment" -}}
{{- if eq (toString .workloadType) "Deployment" -}}true
{{- else if eq (toString .workloadType) "DaemonSet" -}}false
{{- else -}}{{ kindIs "map" .deployment }}
{{- end -}}
{{- end -}}

{{/* The namespaces of Gloo's one gateway-proxy ServiceAccount: every entry's own namespace (disabled ones too), else the release's. Returns JSON. */}}
{{- define "gk.proxyNamespaces" -}}
{{- $entries := dict -}}
{{- range $proxies := list (.Values.gatewayProxies | default dict) ((.Values.gloo | default dict).gatewayProxies | default dict) -}}
{{- range $name, $entry := $proxies -}}
{{- $entry = $entry | default dict -}}
{{- if hasKey $entry "namespace" }}{{ $_ := set $entries $name $entry.namespace }}{{ else if not (hasKey $entries $name) }}{{ $_ := set $entries $name "" }}{{ end -}}
{{- end -}}
{{- end -}}
{{- $out := list -}}
{{- range $name, $ns := $entries }}{{ $out = append $out ($ns | default $.Release.Namespace) }}{{ end -}}
{{- toJson ($out | uniq) -}}
{{- end -}}

{{/* The pod template's annotations, as Gloo's. Takes (list name spec bootstrapText stats glooStats istioIntegration); returns JSON. */}}
{{- define "gk.podAnnotations" -}}
{{- $name := index . 0 -}}
{{- $spec := index . 1 -}}
{{- $out := dict (printf "checksum/%s-envoy-config" $name) (sha256sum (index . 2)) -}}
{{- range $k, $v := ($spec.podTemplate | default dict).extraAnnotations }}{{ $_ := set $out $k (toString $v) }}{{ end -}}
{{- if (index . 4).setDatadogAnnotations -}}
{{- $_ := set $out "ad.datadoghq.com/gateway-proxy.check_names" "[\"envoy\"]" -}}
{{- $_ := set $out "ad.datadoghq.com/gateway-proxy.init_configs" "[{}]" -}}
{{- $_ := set $out "ad.datadoghq.com/gateway-proxy.instances" "[{\"stats_url\": \"http://%%host%%:8081/stats\"}]" -}}
{{- $_ := set $out "ad.datadoghq.com/gateway-proxy.logs" "[{\"source\": \"envoy\", \"service\": \"gloo\",\"log_processing_rules\":[{\"type\": \"multi_line\", \"name\": \"log_start_with_date\",\"pattern\" : \"^\\\\[[0-9]{4}-[0-9]{2}-[0-9]{2}\"}]}]" -}}
{{- end -}}
{{- $istioPorts := dict -}}
{{- if (index . 5).enableIstioSidecarOnGateway }}{{ $istioPorts = dict "traffic.sidecar.istio.io/excludeInboundPorts" (include "gk.excludeInboundPorts" $spec.podTemplate) }}{{ end -}}
{{- if (index . 3).enabled -}}
{{- $out = merge $out $istioPorts -}}
{{- $_ := set $out "prometheus.io/path" "/metrics" -}}
{{- $_ := set $out "prometheus.io/port" "8081" -}}
{{- $_ := set $out "prometheus.io/scrape" "true" -}}
{{- end -}}
{{- if $spec.readConfig -}}
{{- $out = merge $out $istioPorts -}}
{{- range $k, $v := dict "readconfig-stats" "/stats" "readconfig-ready" "/ready" "readconfig-config_dump" "/config_dump" "readconfig-port" "8082" }}{{ $_ := set $out $k $v }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* A map with every value as a string (annotations). Returns JSON. */}}
{{- define "gk.stringMap" -}}
{{- $out := dict -}}
{{- range $k, $v := . }}{{ $_ := set $out $k (toString $v) }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{/* The pod spec's scheduling fields, as Gloo's. Takes (list spec entry isDeployment); returns JSON. */}}
{{- define "gk.podScheduling" -}}
{{- $spec := index . 0 -}}
{{- $pod := $spec.podTemplate | default dict -}}
{{- $own := ((index . 1).podTemplate | default dict).nodeSelector -}}
{{- $nodeSelector := $own | default $pod.nodeSelector -}}
{{- $out := dict -}}
{{- with $pod.nodeName }}{{ $_ := set $out "nodeName" . }}{{ end -}}
{{- with $nodeSelector }}{{ $_ := set $out "nodeSelector" (include "gk.stringMap" . | fromJson) }}{{ end -}}
{{- with $pod.tolerations }}{{ $_ := set $out "tolerations" . }}{{ end -}}
{{- with $pod.terminationGracePeriodSeconds }}{{ $_ := set $out "terminationGracePeriodSeconds" . }}{{ end -}}
{{- if index . 2 -}}
{{- if or $spec.antiAffinity $spec.affinity -}}
{{- $affinity := dict -}}
{{- if $spec.antiAffinity }}{{ $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" (dict "labelSelector" (dict "matchLabels" (dict "gloo" "gateway-proxy")) "topologyKey" "kubernetes.io/hostname")))) }}{{ end -}}
{{- range $k, $v := $spec.affinity | default dict }}{{ $_ := set $affinity $k $v }}{{ end -}}
{{- $_ := set $out "affinity" $affinity -}}
{{- end -}}
{{- with $spec.topologySpreadConstraints }}{{ $_ := set $out "topologySpreadConstraints" . }}{{ end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* The Envoy container's probes and graceful shutdown hook, as Gloo's. Takes (list spec adminPort); returns JSON. */}}
{{- define "gk.probes" -}}
{{- $spec := index . 0 -}}
{{- $pod := $spec.podTemplate | default dict -}}
{{- $admin := printf "%v:%v" $spec.loopBackAddress (index . 1) -}}
{{- $out := dict -}}
{{- with $pod.gracefulShutdown }}{{ if .enabled }}
{{- $_ := set $out "lifecycle" (dict "preStop" (dict "exec" (dict "command" (list "/bin/sh" "-c" (printf "wget --post-data \"\" -O /dev/null %s/healthcheck/fail; sleep %v" $admin .sleepTimeSeconds))))) -}}
{{- end }}{{ end -}}
{{- if $pod.probes -}}
{{- $_ := set $out "readinessProbe" ($pod.customReadinessProbe | default (dict "exec" (dict "command" (list "wget" "-O" "/dev/null" (printf "%s/ready" $admin))) "initialDelaySeconds" 3 "periodSeconds" 10 "failureThreshold" 3)) -}}
{{- if $pod.livenessProbeEnabled -}}
{{- $_ := set $out "livenessProbe" ($pod.customLivenessProbe | default (dict "exec" (dict "command" (list "wget" "-O" "/dev/null" (printf "%s/server_info" $admin))) "initialDelaySeconds" 3 "periodSeconds" 10 "failureThreshold" 3)) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}
