function Resolve-VmmRealPath {
    <#
    .SYNOPSIS
        The real location of a full path: every symbolic link, junction or mount point among its existing
        components is replaced by its target, so two paths are compared by where they lead, not by their text.
    .DESCRIPTION
        Components that do not exist yet are kept as written after the real location of their deepest existing
        ancestor (a destination about to be created). Relative link targets are taken relative to the folder
        holding the link. '.' and '..' are applied after the links before them are resolved, as the file
        system does. More than 40 links in a row (a loop) is an error. A reparse point without a link target
        (a deduplicated or cloud file) is a plain file or folder here.
    .PARAMETER FullPath
        An absolute path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $FullPath
    )

    $separators = [char[]]@('\', '/')
    $pending = $FullPath
    $hops = 0
    while ($true) {
        $root = [System.IO.Path]::GetPathRoot($pending)
        $parts = @($pending.Substring($root.Length).Split($separators, [System.StringSplitOptions]::RemoveEmptyEntries))
        $current = $root
        $restart = $false
        for ($i = 0; $i -lt $parts.Count; $i++) {
            $part = $parts[$i]
            if ($part -eq '.') { continue }
            if ($part -eq '..') {
                $up = [System.IO.Path]::GetDirectoryName($current)
                if (-not [string]::IsNullOrEmpty($up)) { $current = $up }
                continue
            }
            $candidate = [System.IO.Path]::Combine($current, $part)
            $attributes = [int](New-Object -TypeName System.IO.FileInfo -ArgumentList $candidate).Attributes
            if ($attributes -eq -1) {
                # Not there (yet): the rest is kept as written.
                for ($j = $i + 1; $j -lt $parts.Count; $j++) { $candidate = [System.IO.Path]::Combine($candidate, $parts[$j]) }
                return $candidate
            }
            $target = $null
            if (($attributes -band [int][System.IO.FileAttributes]::ReparsePoint) -ne 0) {
                $item = Get-Item -LiteralPath $candidate -Force -ErrorAction SilentlyContinue
                if ($null -ne $item) { $target = @($item.Target | Where-Object { -not [string]::IsNullOrEmpty($_) }) | Select-Object -First 1 }
            }
            if ([string]::IsNullOrEmpty($target)) {
                $current = $candidate
                continue
            }
            $hops++
            if ($hops -gt 40) { throw "The path '$FullPath' goes through more than 40 links (a loop of links)." }
            # Windows reports some targets in the NT namespace (\??\C:\...).
            if ($target.StartsWith('\??\')) { $target = $target.Substring(4) }
            if (-not [System.IO.Path]::IsPathRooted($target)) { $target = [System.IO.Path]::Combine($current, $target) }
            for ($j = $i + 1; $j -lt $parts.Count; $j++) { $target = [System.IO.Path]::Combine($target, $parts[$j]) }
            $pending = $target
            $restart = $true
            break
        }
        if (-not $restart) { return $current }
    }
}
