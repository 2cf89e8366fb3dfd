# Real backup files for the DSC resource tests: database backups, registry exports, library backup sets.
# Dot-sourced by the tests after the module is imported (library sets are written with the module's own
# manifest writer, so they are exactly what Backup-VmmLibraryShare writes).

# The verification record writer (New-TestVerificationRecord) is shared with the cmdlet tests.
Import-Module (Join-Path (Split-Path -Parent $PSScriptRoot) 'Support/VmmTestKit.psm1') -Force

$script:SettingsKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'

function Set-TestFileAge {
    param([string] $Path, [double] $AgeHours)
    $item = Get-Item -LiteralPath $Path
    $item.LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-$AgeHours)
}

function Get-TestSha256 {
    param([string] $Path)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        ([System.BitConverter]::ToString($sha.ComputeHash([System.IO.File]::ReadAllBytes($Path)))).Replace('-', '').ToLowerInvariant()
    } finally {
        $sha.Dispose()
    }
}

function New-TestDatabaseBackup {
    # A .bak that starts with the MTF TAPE block (or not, with -Corrupt), aged -AgeHours. -Verified writes the
    # verification record Backup-VmmDatabase writes; -Record writes the given text as the record instead.
    param([string] $Folder, [string] $Database = 'VirtualManagerDB', [double] $AgeHours = 1, [switch] $Corrupt, [string] $Stamp = '20260101_010101', [string] $Record, [switch] $Verified)
    $null = New-Item -ItemType Directory -Path $Folder -Force
    $path = Join-Path -Path $Folder -ChildPath ('{0}_{1}.bak' -f $Database, $Stamp)
    $bytes = New-Object -TypeName byte[] -ArgumentList 2048
    (New-Object -TypeName System.Random -ArgumentList 7).NextBytes($bytes)
    $magic = [System.Text.Encoding]::ASCII.GetBytes('TAPE')
    if ($Corrupt) { $magic = [System.Text.Encoding]::ASCII.GetBytes('NOPE') }
    [System.Array]::Copy($magic, $bytes, 4)
    [System.IO.File]::WriteAllBytes($path, $bytes)
    if ($Record) {
        [System.IO.File]::WriteAllText($path + '.verify.json', $Record)
    } elseif ($Verified) {
        New-TestVerificationRecord -Path $path
    }
    Set-TestFileAge -Path $path -AgeHours $AgeHours
    $path
}

function New-TestRegistryExport {
    # A regedit-style export of the VMM settings key (UTF-16LE with BOM), aged -AgeHours.
    param([string] $Path, [double] $AgeHours = 1, [switch] $IncludeSql, [ValidateSet('None', 'NoBom', 'Header', 'Garbage', 'NoSettingsKey')] [string] $Corrupt = 'None')
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force
    $key = $script:SettingsKey
    if ($Corrupt -eq 'NoSettingsKey') { $key = 'HKEY_LOCAL_MACHINE\SOFTWARE\Contoso' }
    $lines = @('Windows Registry Editor Version 5.00', '', "[$key]", '"IndigoTcpPort"=dword:00001fa4', '"LibraryPath"="D:\\Library"', '')
    if ($IncludeSql) { $lines += @("[$key\Sql]", '"DatabaseName"="VirtualManagerDB"', '"MachineName"="sql01"', '') }
    $lines += @("[$key\Hosts]", '"Binary"=hex:01,02,03,\', '  04,05', '')
    if ($Corrupt -eq 'Header') { $lines[0] = 'REGEDIT4' }
    if ($Corrupt -eq 'Garbage') { $lines += 'this is not a registry line' }
    $text = ($lines -join "`r`n")
    $body = [System.Text.Encoding]::Unicode.GetBytes($text)
    if ($Corrupt -eq 'NoBom') {
        [System.IO.File]::WriteAllBytes($Path, $body)
    } else {
        [System.IO.File]::WriteAllBytes($Path, [byte[]](@(0xFF, 0xFE) + $body))
    }
    Set-TestFileAge -Path $Path -AgeHours $AgeHours
    $Path
}

function New-TestLibrarySet {
    # A complete library backup set under -Destination (sets/<name>/manifest.json + objects/), finished
    # -AgeHours ago, covering -Shares (the files spread over them, as a set holds files of every share it
    # covers); returns the set folder. Files: name -> content.
    param([string] $Destination, [string[]] $Shares = @('\\lib01\MSSCVMMLibrary'), [hashtable] $Files = @{ 'VHDs/base.vhdx' = 'disk'; 'ISO/setup.iso' = 'iso' }, [double] $AgeHours = 1, [string] $Name = '20260101_010101')
    $module = Get-Module -Name VmmBackup
    $setPath = Join-Path -Path (Join-Path -Path $Destination -ChildPath 'sets') -ChildPath $Name
    $null = New-Item -ItemType Directory -Path $setPath -Force
    $index = 0
    $entries = foreach ($relative in ($Files.Keys | Sort-Object)) {
        $bytes = [System.Text.Encoding]::UTF8.GetBytes([string]$Files[$relative])
        $sha = [System.Security.Cryptography.SHA256]::Create()
        $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
        $sha.Dispose()
        $objectFolder = Join-Path -Path (Join-Path -Path $Destination -ChildPath 'objects') -ChildPath $hash.Substring(0, 2)
        $null = New-Item -ItemType Directory -Path $objectFolder -Force
        [System.IO.File]::WriteAllBytes((Join-Path -Path $objectFolder -ChildPath $hash), $bytes)
        [pscustomobject]@{ Share = $index % $Shares.Count; Path = $relative; Length = $bytes.Length; Modified = 1700000000000; Sha256 = $hash }
        $index++
    }
    $end = (Get-Date).AddHours(-$AgeHours)
    & $module {
        param($ManifestPath, $SetName, $End, $Shares, $Entries)
        Write-VmmBackupManifest -Path $ManifestPath -SetName $SetName -StartTime $End.AddMinutes(-5) -EndTime $End -Shares $Shares -Extensions @() -Files @($Entries) -Failed @()
    } (Join-Path -Path $setPath -ChildPath 'manifest.json') $Name $end $Shares $entries
    $setPath
}

function Get-TestObjectPath {
    # The content-store file of a library file's content.
    param([string] $Destination, [string] $Content)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Content)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $hash = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
    $sha.Dispose()
    Join-Path -Path (Join-Path -Path (Join-Path -Path $Destination -ChildPath 'objects') -ChildPath $hash.Substring(0, 2)) -ChildPath $hash
}

function New-TestPlanRun {
    # One committed run of Invoke-VmmBackup under -Destination (<Destination>/<Name>/...), finished -AgeHours
    # ago: the items in -Items (procedure id -> state; Succeeded items get real files: a verified .bak, a .reg,
    # an inventory .json, a VM configuration file), and backup-set.json written by the module's own writer.
    param(
        [string] $Destination,
        [string] $Name = '20260101_010101',
        [double] $AgeHours = 1,
        [hashtable] $Items = @{ 'backup.database' = 'Succeeded'; 'backup.registry' = 'Succeeded'; 'backup.inventory' = 'Succeeded'; 'backup.vm-configuration' = 'Succeeded'; 'backup.library' = 'Succeeded' },
        [string] $SystemStateTarget
    )
    $module = Get-Module -Name VmmBackup
    $run = Join-Path -Path $Destination -ChildPath $Name
    $null = New-Item -ItemType Directory -Path $run -Force
    $results = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($id in @($Items.Keys | Sort-Object)) {
        $state = $Items[$id]
        $output = $null
        if ($state -eq 'Succeeded') {
            switch ($id) {
                'backup.database' { $output = New-TestDatabaseBackup -Folder (Join-Path $run 'database') -AgeHours $AgeHours -Stamp $Name.Substring(0, 15) -Verified }
                'backup.registry' { $output = New-TestRegistryExport -Path (Join-Path $run ('registry/VmmSettings_' + $Name.Substring(0, 15) + '.reg')) -AgeHours $AgeHours }
                'backup.inventory' {
                    $null = New-Item -ItemType Directory -Path (Join-Path $run 'inventory') -Force
                    $output = Join-Path $run ('inventory/VmmInventory_' + $Name.Substring(0, 15) + '.json')
                    [System.IO.File]::WriteAllText($output, '{"SchemaVersion":1,"VMs":[]}')
                }
                'backup.vm-configuration' {
                    $null = New-Item -ItemType Directory -Path (Join-Path $run 'vmconfig/hv01/vm01') -Force
                    [System.IO.File]::WriteAllText((Join-Path $run 'vmconfig/hv01/vm01/A1B2.vmcx'), 'configuration')
                    $output = Join-Path $run 'vmconfig'
                }
                'backup.system-state' { $output = "$SystemStateTarget (version 01/01/2026-01:01)" }
            }
        }
        $results.Add([pscustomobject]@{ Id = $id; State = $state; Output = $output; Message = $(if ($state -eq 'Failed') { 'it failed' } else { $null }) })
    }
    $end = (Get-Date).AddHours(-$AgeHours)
    & $module {
        param($SetPath, $End, $Items)
        $null = Write-VmmBackupSetManifest -SetPath $SetPath -StartTime $End.AddMinutes(-5) -EndTime $End -VMMServer 'localhost' -Items $Items -LibrarySet $null
    } $run $end $results.ToArray()
    $run
}
