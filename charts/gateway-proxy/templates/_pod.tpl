{{- /*
The proxy pod's securityContexts and what a Gloo user adds to the pod as it is; the same as
components/render/pod-security.ts and pod-extras.ts.
*/ -}}

{{- /* Gloo's securityContext rule: the values, merged over the defaults with mergePolicy helm-merge, runAsUser dropped by a global floatingUserId. Takes (dict values defaults globalSec); returns JSON. */ -}}
{{- define "gk.glooSecurityContext" -}}
{{- $values := .values | default dict -}}
{{- $context := dict -}}
{{- if eq (toString $values.mergePolicy) "helm-merge" -}}
{{- $context = merge (deepCopy $values) (deepCopy .defaults) -}}
{{- else if $values -}}
{{- $context = deepCopy $values -}}
{{- else -}}
{{- $context = deepCopy .defaults -}}
{{- end -}}
{{- if .globalSec.floatingUserId }}{{ $_ := unset $context "runAsUser" }}{{ end -}}
{{- toJson (omit $context "mergePolicy") -}}
{{- end -}}

{{- /* Our hardening where the values leave it unset, never over runAsUser 0. Takes (list context seccomp); returns JSON. */ -}}
{{- define "gk.hardened" -}}
{{- $out := index . 0 -}}
{{- $root := and (hasKey $out "runAsUser") (eq (toString $out.runAsUser) "0") -}}
{{- if and (kindIs "invalid" $out.runAsNonRoot) (not $root) }}{{ $_ := set $out "runAsNonRoot" true }}{{ end -}}
{{- if and (index . 1) (kindIs "invalid" $out.seccompProfile) }}{{ $_ := set $out "seccompProfile" (dict "type" "RuntimeDefault") }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{- /* The pod securityContext Gloo renders (empty when none). Takes (list spec global); returns JSON. */ -}}
{{- define "gk.glooPodContext" -}}
{{- $pod := (index . 0).podTemplate | default dict -}}
{{- $globalSec := (index . 1).securitySettings | default dict -}}
{{- $context := dict -}}
{{- if and $pod.enablePodSecurityContext (not $globalSec.floatingUserId) -}}
{{- $defaults := dict "fsGroup" $pod.fsGroup -}}
{{- if not $pod.floatingUserId }}{{ $_ := set $defaults "runAsUser" $pod.runAsUser }}{{ end -}}
{{- $context = include "gk.glooSecurityContext" (dict "values" $pod.podSecurityContext "defaults" $defaults "globalSec" $globalSec) | fromJson -}}
{{- end -}}
{{- toJson $context -}}
{{- end -}}

{{- /* The proxy pod's securityContext: Gloo's, hardened, the user's sysctls then the keepalive ones. Takes (list spec global sysctls); returns JSON. */ -}}
{{- define "gk.podSecurityContext" -}}
{{- $context := include "gk.hardened" (list (include "gk.glooPodContext" (list (index . 0) (index . 1)) | fromJson) true) | fromJson -}}
{{- $own := (kindIs "slice" $context.sysctls) | ternary $context.sysctls list -}}
{{- $names := dict -}}
{{- range $s := $own }}{{ if kindIs "map" $s }}{{ $_ := set $names (toString $s.name) true }}{{ end }}{{ end -}}
{{- $all := $own -}}
{{- range $s := index . 2 }}{{ if not (hasKey $names $s.name) }}{{ $all = append $all $s }}{{ end }}{{ end -}}
{{- $_ := unset $context "sysctls" -}}
{{- if $all }}{{ $_ := set $context "sysctls" $all }}{{ end -}}
{{- toJson $context -}}
{{- end -}}

{{- /* The Envoy container's securityContext: Gloo's (restricted defaults with global.podSecurityStandards), our runAsNonRoot. Takes (list spec global); returns JSON. */ -}}
{{- define "gk.containerSecurityContext" -}}
{{- $pod := (index . 0).podTemplate | default dict -}}
{{- $global := index . 1 -}}
{{- $capabilities := dict "drop" (list "ALL") -}}
{{- if not $pod.disableNetBind }}{{ $_ := set $capabilities "add" (list "NET_BIND_SERVICE") }}{{ end -}}
{{- $defaults := dict "runAsNonRoot" $pod.runUnprivileged "capabilities" $capabilities "readOnlyRootFilesystem" true "allowPrivilegeEscalation" false -}}
{{- if not $pod.floatingUserId }}{{ $_ := set $defaults "runAsUser" $pod.runAsUser }}{{ end -}}
{{- $container := ($global.podSecurityStandards | default dict).container -}}
{{- if and $container $container.enableRestrictedContainerDefaults -}}
{{- $restricted := dict "runAsNonRoot" true "capabilities" (dict "drop" (list "ALL")) "allowPrivilegeEscalation" false "seccompProfile" (dict "type" ($container.defaultSeccompProfileType | default "RuntimeDefault")) -}}
{{- $defaults = merge $defaults $restricted -}}
{{- end -}}
{{- $context := include "gk.glooSecurityContext" (dict "values" $pod.glooContainerSecurityContext "defaults" $defaults "globalSec" ($global.securitySettings | default dict)) | fromJson -}}
{{- include "gk.hardened" (list $context false) -}}
{{- end -}}

{{- /* What the security values and extra labels cannot render, worded as components/render/pod-security.ts and pod-extras.ts. Takes (list spec global sysctls podPath reservedLabels). */ -}}
{{- define "gk.validatePod" -}}
{{- $spec := index . 0 -}}
{{- $global := index . 1 -}}
{{- $podPath := index . 3 -}}
{{- $pod := $spec.podTemplate | default dict -}}
{{- $globalSec := $global.securitySettings | default dict -}}
{{- $keys := list "glooContainerSecurityContext" -}}
{{- if and $pod.enablePodSecurityContext (not $globalSec.floatingUserId) }}{{ $keys = prepend $keys "podSecurityContext" }}{{ end -}}
{{- range $key := $keys -}}
{{- $policy := (index $pod $key | default dict).mergePolicy -}}
{{- if and $policy (not (has (toString $policy) (list "no-merge" "helm-merge"))) }}{{ fail (printf "%s.%s.mergePolicy: %s is not no-merge or helm-merge" $podPath $key (toJson $policy)) }}{{ end -}}
{{- end -}}
{{- $seccomp := (($global.podSecurityStandards | default dict).container | default dict).defaultSeccompProfileType -}}
{{- if and $seccomp (not (has (toString $seccomp) (list "RuntimeDefault" "Localhost"))) }}{{ fail (printf "global.podSecurityStandards.container.defaultSeccompProfileType: %s is not RuntimeDefault or Localhost" (toJson $seccomp)) }}{{ end -}}
{{- $own := (include "gk.glooPodContext" (list $spec $global) | fromJson).sysctls -}}
{{- range $i, $s := (kindIs "slice" $own) | ternary $own list -}}
{{- range $k := index $ 2 -}}
{{- if and (kindIs "map" $s) (eq (toString $s.name) $k.name) (ne (toString $s.value) $k.value) -}}
{{- fail (printf "%s.podSecurityContext.sysctls[%d]: sets %s to %s, but %s.tcpKeepaliveSysctls sets it to \"%s\" from the proxy's keepalive; a pod has one value per sysctl: drop this entry or make the keepalive match" $podPath $i $k.name (toJson (toString $s.value)) $podPath $k.value) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $k, $_ := $pod.extraGatewayProxyLabels -}}
{{- if has $k (index $ 4) }}{{ fail (printf "%s.extraGatewayProxyLabels.%s: %s is a label the proxy's pod already carries (its selector, Service or Istio injection need it); the Gloo chart would write it twice" $podPath $k $k) }}{{ end -}}
{{- end -}}
{{- end -}}

{{- /* A Go %v list join, as Gloo's excludeInboundPorts: httpPort, httpsPort, extraPorts. Takes the podTemplate. */ -}}
{{- define "gk.excludeInboundPorts" -}}
{{- if . }}{{ join "," (list .httpPort .httpsPort .extraPorts) }}{{ end -}}
{{- end -}}
