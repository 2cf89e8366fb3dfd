function Test-VmmPathRelation {
    <#
    .SYNOPSIS
        Compares two paths the way the file system (or, with -Registry, the registry) does: Equal (the same
        folder, file or key), Within (-Path is below -Other), AtOrWithin (equal or below) or Overlap (equal, or
        either below the other). Returns $true or $false.
    .DESCRIPTION
        The one path comparer of the module. Trailing separators are ignored (C:\Library\ equals C:\Library); on
        Windows the comparison ignores case and both \ and / separate, elsewhere it is ordinal and / separates.
        A prefix that is not a whole path component never counts: D:\Library2 is not within D:\Library. The
        paths are compared as given: make them full (and real, Resolve-VmmRealPath, where links matter) first.
        Registry key paths (-Registry) always ignore case and are separated by \ only, on every platform.
    .PARAMETER Path
        The path that is tested.
    .PARAMETER Other
        The path it is compared with.
    .PARAMETER Relation
        Equal, Within, AtOrWithin or Overlap.
    .PARAMETER Registry
        The paths are registry key paths (HKEY_LOCAL_MACHINE\SOFTWARE\...), not file system paths.
    .EXAMPLE
        Test-VmmPathRelation -Path 'D:\Library\Backups' -Other 'D:\Library' -Relation Within    # $true
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string] $Other,

        [Parameter(Mandatory = $true)]
        [ValidateSet('Equal', 'Within', 'AtOrWithin', 'Overlap')]
        [string] $Relation,

        [switch] $Registry
    )

    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
    $comparison = [System.StringComparison]::Ordinal
    $separators = [char[]]@('/')
    if ($Registry) {
        $comparison = [System.StringComparison]::OrdinalIgnoreCase
        $separators = [char[]]@('\')
    } elseif ($onWindows) {
        $comparison = [System.StringComparison]::OrdinalIgnoreCase
        $separators = [char[]]@('\', '/')
    }
    # Without its trailing separators, unless that leaves nothing or a bare drive (/ and C:\ stay roots).
    $trim = {
        param([string] $Value)
        $trimmed = $Value.TrimEnd($separators)
        if ($trimmed.Length -eq 0 -or $trimmed -match '^[A-Za-z]:$') { return $Value }
        $trimmed
    }
    $within = {
        param([string] $Inner, [string] $Outer)
        foreach ($separator in $separators) {
            $prefix = $Outer
            if (-not $prefix.EndsWith([string]$separator)) { $prefix += $separator }
            if ($Inner.Length -gt $prefix.Length -and $Inner.StartsWith($prefix, $comparison)) { return $true }
        }
        $false
    }
    $a = & $trim $Path
    $b = & $trim $Other
    $equal = [string]::Equals($a, $b, $comparison)
    switch ($Relation) {
        'Equal' { return $equal }
        'Within' { return (& $within $a $b) }
        'AtOrWithin' { return ($equal -or (& $within $a $b)) }
        'Overlap' { return ($equal -or (& $within $a $b) -or (& $within $b $a)) }
    }
}
