function Read-VmmRegistryTree {
    <#
    .SYNOPSIS
        Reads a registry key and (unless -NoRecurse) all its subkeys: the one place the module reads the registry.
    .DESCRIPTION
        Returns one record per key, the key first and then its subkeys depth first in the order the registry
        enumerates them (as regedit exports them):
            [pscustomobject]@{ Path = 'HKEY_LOCAL_MACHINE\...'; Values = @( [pscustomobject]@{ Name; Kind; Data } ) }
        Kind is a Microsoft.Win32.RegistryValueKind name: String, ExpandString (Data unexpanded), MultiString
        (string[]), DWord (uint32), QWord (uint64), Binary or None (byte[]). The default value has Name ''.
        Returns nothing when the key does not exist. Values of types the module cannot carry are left out with
        a warning. Windows only: elsewhere it throws.
    .PARAMETER Path
        Full key path starting with HKEY_LOCAL_MACHINE\ (or HKLM\).
    .PARAMETER NoRecurse
        Read the key alone, without subkeys.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [switch] $NoRecurse
    )

    if ([System.Environment]::OSVersion.Platform -ne [System.PlatformID]::Win32NT) {
        throw "Cannot read the registry key '$Path': the registry exists only on Windows. Run this on the VMM management server."
    }
    $match = [regex]::Match($Path, '^(HKEY_LOCAL_MACHINE|HKLM)\\(.+)$', 'IgnoreCase')
    if (-not $match.Success) {
        throw "Cannot read the registry key '$Path': only keys under HKEY_LOCAL_MACHINE are supported."
    }
    $subPath = $match.Groups[2].Value.TrimEnd('\')
    $view = [Microsoft.Win32.RegistryView]::Default
    if ([System.Environment]::Is64BitOperatingSystem) { $view = [Microsoft.Win32.RegistryView]::Registry64 }
    $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]::LocalMachine, $view)
    try {
        $key = $base.OpenSubKey($subPath, $false)
        if ($null -eq $key) { return }
        $pending = New-Object System.Collections.Generic.Stack[object]
        $pending.Push(@{ Key = $key; Path = 'HKEY_LOCAL_MACHINE\' + $subPath })
        while ($pending.Count -gt 0) {
            $item = $pending.Pop()
            $current = $item.Key
            try {
                $values = New-Object System.Collections.Generic.List[object]
                foreach ($name in $current.GetValueNames()) {
                    $kind = $current.GetValueKind($name)
                    $raw = $current.GetValue($name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
                    $data = $null
                    $supported = $true
                    switch ($kind.ToString()) {
                        'String' { $data = [string]$raw }
                        'ExpandString' { $data = [string]$raw }
                        'MultiString' { $data = [string[]]@($raw) }
                        'DWord' { $data = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int]$raw), 0) }
                        'QWord' { $data = [System.BitConverter]::ToUInt64([System.BitConverter]::GetBytes([long]$raw), 0) }
                        'Binary' { $data = [byte[]]$raw }
                        'None' { $data = [byte[]]@($raw) }
                        default {
                            Write-Warning "The value '$name' of '$($item.Path)' has a registry type the module cannot carry ($kind); it is left out."
                            $supported = $false
                        }
                    }
                    if ($supported) {
                        $values.Add([pscustomobject]@{ Name = $name; Kind = $kind.ToString(); Data = $data })
                    }
                }
                [pscustomobject]@{ Path = $item.Path; Values = $values.ToArray() }
                if (-not $NoRecurse) {
                    $names = @($current.GetSubKeyNames())
                    for ($i = $names.Count - 1; $i -ge 0; $i--) {
                        $child = $current.OpenSubKey($names[$i], $false)
                        if ($null -ne $child) {
                            $pending.Push(@{ Key = $child; Path = $item.Path + '\' + $names[$i] })
                        }
                    }
                }
            } finally {
                $current.Dispose()
            }
        }
    } finally {
        $base.Dispose()
    }
}
